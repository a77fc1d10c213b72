using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Ops;

/// <summary>
/// Each backup's manifest is signed (<c>manifest.sig</c>, ES256) with a key the app holds; a restore checks it
/// against the key it is told to trust and refuses (exit code 4) a backup that is unsigned, signed by another key,
/// or changed after signing, because anyone who can write to backup storage can make a backup: the encryption uses
/// the coordinating body's public key. <c>--accept-unsigned-backup</c> restores anyway, loudly, and audited.
/// </summary>
public sealed class SignedBackupTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("serverless-signed-backup-tests-").FullName;

    private string Backups => Path.Combine(work, "backups");

    [Fact]
    public async Task ASignedBackupRestoresAndTheRestoreSaysTheSignatureWasVerified()
    {
        await using var host = await TestHost.StartAsync();
        await BackupRestoreTests.SeedAsync(host);
        var keys = await CreateKeyAsync();

        var (backupCode, backupOutput, _) = await OpsTool.RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups);
        Assert.Equal(ExitCodes.Ok, backupCode);
        Assert.Contains("Manifest signed (manifest.sig).", backupOutput, StringComparison.Ordinal);
        var id = Path.GetFileName(Assert.Single(Directory.GetDirectories(Backups)));
        var signature = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Backups, id, "manifest.sig")))!;
        Assert.Equal("ES256", signature["algorithm"]!.GetValue<string>());
        Assert.StartsWith("local:sha256:", signature["keyId"]!.GetValue<string>(), StringComparison.Ordinal);

        var (code, output, error) = await Restore(TestStorage.NewPrefix(), keys.Private);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal("", error);
        Assert.Contains($"Manifest signature verified (key {signature["keyId"]!.GetValue<string>()}).", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManifestChangedAfterSigningIsRefusedWithExitCode4AndNothingIsWritten()
    {
        var (host, keys) = await BackUpAsync(signed: true);
        await using var _ = host;
        var id = Path.GetFileName(Assert.Single(Directory.GetDirectories(Backups)));
        var manifestPath = Path.Combine(Backups, id, "manifest.json");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        manifest["createdAt"] = "2020-01-01T00:00:00+00:00";
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        var target = TestStorage.NewPrefix();

        var (code, output, error) = await Restore(target, keys.Private);

        Assert.Equal(ExitCodes.UntrustedBackup, code);
        Assert.Equal("", output);
        Assert.StartsWith($"Backup {id}'s manifest signature does not match its manifest: the manifest was changed after it was signed. Refusing to restore:", error.Trim(), StringComparison.Ordinal);
        Assert.Contains("Nothing was written.", error, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(target);
    }

    [Fact]
    public async Task AnUnsignedBackupIsRefusedWithExitCode4()
    {
        var (host, keys) = await BackUpAsync(signed: false);
        await using var _ = host;
        var id = Path.GetFileName(Assert.Single(Directory.GetDirectories(Backups)));
        var target = TestStorage.NewPrefix();

        var (code, _, error) = await Restore(target, keys.Private);

        Assert.Equal(ExitCodes.UntrustedBackup, code);
        Assert.StartsWith($"Backup {id} has no manifest signature (manifest.sig is missing or unreadable). Refusing to restore:", error.Trim(), StringComparison.Ordinal);
        Assert.Contains("--accept-unsigned-backup", error, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(target);
    }

    /// <summary>A forger signs with a key of their own: the signature is valid, but not by the trusted key.</summary>
    [Fact]
    public async Task ABackupSignedByAnotherKeyIsRefused()
    {
        var (host, keys) = await BackUpAsync(signed: false);
        await using var _ = host;
        var id = Path.GetFileName(Assert.Single(Directory.GetDirectories(Backups)));
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var manifest = await File.ReadAllBytesAsync(Path.Combine(Backups, id, "manifest.json"));
        var forgerKeyId = "local:sha256:" + Convert.ToHexStringLower(SHA256.HashData(forger.ExportSubjectPublicKeyInfo()));
        await File.WriteAllTextAsync(
            Path.Combine(Backups, id, "manifest.sig"),
            new JsonObject
            {
                ["algorithm"] = "ES256",
                ["keyId"] = forgerKeyId,
                ["signature"] = Convert.ToBase64String(forger.SignData(manifest, HashAlgorithmName.SHA256)),
            }.ToJsonString());
        var target = TestStorage.NewPrefix();

        var (code, _, error) = await Restore(target, keys.Private);

        Assert.Equal(ExitCodes.UntrustedBackup, code);
        Assert.StartsWith($"Backup {id} is signed by {forgerKeyId}, which is not the --manifest-signing-key given.", error.Trim(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(target);
    }

    [Fact]
    public async Task AcceptUnsignedBackupRestoresLoudlyAndTheRestoredTrailRecordsIt()
    {
        var (host, keys) = await BackUpAsync(signed: false);
        await using var _ = host;
        var id = Path.GetFileName(Assert.Single(Directory.GetDirectories(Backups)));
        var target = TestStorage.NewPrefix();

        var (code, output, error) = await Restore(target, keys.Private, "--accept-unsigned-backup");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith($"WARNING: UNVERIFIED BACKUP. Backup {id} has no manifest signature", error.Trim(), StringComparison.Ordinal);
        Assert.Contains($"WARNING: this restore used an UNVERIFIED backup (--accept-unsigned-backup), recorded as {AuditActions.BackupRestoreUnverified}", output, StringComparison.Ordinal);
        var log = TestStorage.Clients(target).Tables.GetTableClient(TestStorage.Names(target).Table(AuditTables.LogTable));
        var entries = await log.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Action eq {AuditActions.BackupRestoreUnverified}")).ToListAsync();
        var entry = Assert.Single(entries);
        Assert.Equal("ops-restore", entry.GetString("ActorId"));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private async Task<(TestHost Host, (string Private, string Public) Keys)> BackUpAsync(bool signed)
    {
        var host = await TestHost.StartAsync();
        await BackupRestoreTests.SeedAsync(host);
        var keys = await CreateKeyAsync();
        string[] signing = signed ? ["--signing-key", TestSigningKey.PrivatePath] : [];
        var (code, output, error) = await OpsTool.RunAsync(host.Prefix, ["backup", .. signing, "--recipient-key", keys.Public, "--to-directory", Backups]);
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal(!signed, output.Contains("is UNSIGNED (no --signing-key)", StringComparison.Ordinal));
        return (host, keys);
    }

    private Task<(int ExitCode, string Output, string Error)> Restore(string target, string privateKey, params string[] more)
        => OpsTool.RunAsync(target, ["restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", privateKey, .. more]);

    private async Task<(string Private, string Public)> CreateKeyAsync()
    {
        var directory = Path.Combine(work, "keys");
        var (code, _, error) = await OpsTool.RunAsync(null, "backup-key", "create", "--out", directory);
        Assert.True(code == ExitCodes.Ok, error);
        return (Path.Combine(directory, "coordinator.pem"), Path.Combine(directory, "coordinator.pub.pem"));
    }

    private static async Task AssertNothingWrittenAsync(string target)
    {
        var clients = TestStorage.Clients(target);
        var prefix = TestStorage.Names(target).Table(AuditTables.LogTable)[..^AuditTables.LogTable.Length];
        Assert.Empty(await clients.Tables.QueryAsync(filter: TableClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "~"}")).ToListAsync());
    }
}
