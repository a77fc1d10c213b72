using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Cases;
using Serverless.Health;
using Serverless.Identity;
using Serverless.Ops;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;
using Serverless.Time;
using Xunit.Abstractions;

namespace Serverless.Tests.Ops;

/// <summary>
/// <c>backup</c>, <c>restore</c> and <c>backup-key create</c>, in-process against Azurite: the app's own
/// services seed storage under one prefix, the tool backs it up to a temporary folder and restores
/// it under a fresh prefix, and every entity (keys, properties, EDM types) and blob is compared.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper log) : IDisposable
{
    internal const string DistinctiveFamilyName = "鷹司";
    private static readonly Caller Coordinator = new("coordinator-sato", "midori-kodomo-ka", CallerRole.Coordinator);

    private readonly string work = Directory.CreateTempSubdirectory("serverless-backup-tests-").FullName;
    private readonly List<string> passwordVariables = [];

    private string Backups => Path.Combine(work, "backups");

    [Fact]
    public async Task RestoreIntoAnEmptyInstanceHasZeroDifferencesAcrossAnIncrementalChain()
    {
        await using var host = await TestHost.StartAsync();
        var caseIds = await SeedAsync(host);
        var passwordVariable = SetPassword("correct horse battery staple");
        var keys = await CreateKeyAsync("coordinator", "--password-env", passwordVariable);

        var (firstCode, firstOutput, firstError) = await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups);
        Assert.Equal(ExitCodes.Ok, firstCode);
        Assert.Equal("", firstError);

        // Between backups: one more case and one more blob; the first blob is unchanged.
        caseIds.Add(await CreateCaseAsync(host, "東雲", "湊", "シノノメ", "ミナト", 9));
        await UploadAsync(host, "second.json", "{\"second\":true}", "application/json", new() { ["kind"] = "second" });
        var (secondCode, secondOutput, _) = await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups);
        Assert.Equal(ExitCodes.Ok, secondCode);

        var ids = Directory.GetDirectories(Backups).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, ids.Length);
        Assert.StartsWith($"Backup {ids[0]} written to ", firstOutput, StringComparison.Ordinal);
        Assert.Contains("2 blobs (2 copied, 0 unchanged since earlier backups)", firstOutput, StringComparison.Ordinal);
        Assert.Contains("3 blobs (1 copied, 2 unchanged since earlier backups)", secondOutput, StringComparison.Ordinal);
        Assert.Contains($"Export notice: backup {ids[1]} is an export of personal data, recorded in the audit trail as ops.backup.export", secondOutput, StringComparison.Ordinal);
        var exports = Assert.IsType<Serverless.Audit.AuditQueryOutcome.Done>(await host.Get<Serverless.Audit.AuditQuery>().ByActorAsync("ops-backup", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), null, null, CancellationToken.None)).Page.Entries;
        Assert.Equal(2, exports.Count(entry => entry.Action == Serverless.Audit.AuditActions.BackupExport && entry.Outcome == nameof(Serverless.Audit.AuditOutcome.Succeeded)));
        using (var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Backups, ids[1]!, "manifest.json"))))
        {
            Assert.Equal(ids[0], manifest.RootElement.GetProperty("previousBackupId").GetString());
            Assert.Equal(
                [ids[0], ids[0], ids[1]],
                manifest.RootElement.GetProperty("blobs").EnumerateArray().Select(blob => blob.GetProperty("backupId").GetString()).Order(StringComparer.Ordinal));
        }

        var target = TestStorage.NewPrefix();
        var (code, output, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private, "--password-env", passwordVariable);

        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches($"^Restored backup {ids[1]}: [0-9]+ entities and 3 blobs in [0-9.]+s\\.$", FirstLine(output));
        var source = await SnapshotAsync(host, host.Prefix);
        var restored = WithoutTheRestoreRecord(await SnapshotAsync(host, target));
        Assert.Contains(source, line => line.Contains(":Int64=", StringComparison.Ordinal));
        Assert.Contains(source, line => line.Contains(":DateTimeOffset=", StringComparison.Ordinal));
        Assert.Contains(source, line => line.Contains(":Guid=", StringComparison.Ordinal));
        Assert.Contains(source, line => line.Contains(":Byte[]=", StringComparison.Ordinal));
        Assert.Contains(source, line => line.Contains(":Boolean=", StringComparison.Ordinal));
        Assert.Contains(source, line => line.Contains(":Double=", StringComparison.Ordinal));
        Assert.All(caseIds, id => Assert.Contains(source, line => line.Contains(id, StringComparison.Ordinal)));
        Assert.Contains(source, line => line.Contains(DistinctiveNarrative, StringComparison.Ordinal)); // reports, their versions, comments and idempotency records go with the case
        Assert.Contains(source, line => line.StartsWith("table|Attendance|report|", StringComparison.Ordinal) && line.Contains(caseIds[0], StringComparison.Ordinal)); // attendance rows go with their case
        // The council's work: the meeting, the review's task in its case's partition, its reminder pointer, the ledger's copies.
        Assert.Contains(source, line => line.StartsWith("table|Meetings|g", StringComparison.Ordinal) && line.Contains("第1回実務者会議", StringComparison.Ordinal));
        Assert.Contains(source, line => line.StartsWith($"table|Cases|{caseIds[1]}|j-k", StringComparison.Ordinal) && line.Contains("出欠の確認", StringComparison.Ordinal));
        Assert.Contains(source, line => line.StartsWith("table|TaskReminders|pending|", StringComparison.Ordinal) && line.Contains(caseIds[1], StringComparison.Ordinal));
        Assert.Contains(source, line => line.StartsWith("table|Meetings|ledger-copies|copy-000000000001|", StringComparison.Ordinal));
        Assert.Equal(source, restored);
        Assert.Equal(3, source.Count(line => line.StartsWith("blob|", StringComparison.Ordinal)));
    }

    /// <summary>The audit log's settled days are copied once: the next backup points at the earlier copy, copies
    /// only the days still being written, and a restore from it puts everything back.</summary>
    [Fact]
    public async Task TheAuditLogsSettledDaysAreCopiedOnceAndRestoredFromTheEarlierBackup()
    {
        await using var host = await TestHost.StartAsync();
        await SeedAsync(host);
        var now = DateTimeOffset.UtcNow;
        foreach (var daysAgo in new[] { 10, 9, 3 })
        {
            var then = new Serverless.Audit.AuditTrail(host.Get<Serverless.Audit.AuditTables>(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now.AddDays(-daysAgo)), Microsoft.Extensions.Logging.Abstractions.NullLogger<Serverless.Audit.AuditTrail>.Instance);
            await then.RecordAsync(Serverless.Audit.AuditActor.Anonymous, new Serverless.Audit.AuditRequest($"old-{daysAgo}", null), Serverless.Audit.AuditActions.SignIn, null, Serverless.Audit.AuditOutcome.Unauthenticated, CancellationToken.None);
        }

        var keys = await CreateKeyAsync("coordinator");
        Assert.Equal(ExitCodes.Ok, (await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups)).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups)).ExitCode);

        var ids = Directory.GetDirectories(Backups).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var settled = new[] { 10, 9, 3 }.Select(daysAgo => Serverless.Audit.AuditEntryIds.Day(now.AddDays(-daysAgo))).ToList();
        using (var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Backups, ids[1]!, "manifest.json"))))
        {
            var log = manifest.RootElement.GetProperty("tables").EnumerateArray().Where(table => table.GetProperty("table").GetString() == Serverless.Audit.AuditTables.LogTable).ToList();
            Assert.Equal(
                settled.Select(day => (day, (string?)ids[0])),
                log.Where(file => file.GetProperty("backupId").ValueKind == JsonValueKind.String).Select(file => (file.GetProperty("partition").GetString()!, file.GetProperty("backupId").GetString())).Order());
            Assert.Contains(log, file => file.GetProperty("backupId").ValueKind == JsonValueKind.Null); // today, still being written: copied again
        }

        Assert.All(settled, day => Assert.Empty(Directory.GetFiles(Path.Combine(Backups, ids[1]!, "tables"), $"AuditLog.{day}.*")));
        Assert.All(settled, day => Assert.Single(Directory.GetFiles(Path.Combine(Backups, ids[0]!, "tables"), $"AuditLog.{day}.*")));
        var target = TestStorage.NewPrefix();

        var (code, _, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal(await SnapshotAsync(host, host.Prefix), WithoutTheRestoreRecord(await SnapshotAsync(host, target)));
    }

    /// <summary>Backups written before tables were split into files (format 1: one <c>tables/{table}.enc</c>
    /// each) still restore. The test turns a fresh backup into that shape with the same envelope.</summary>
    [Fact]
    public async Task AFormatOneBackupStillRestores()
    {
        var (host, keys) = await BackUpAsync();
        await using var _ = host;
        var (id, _) = CasesFile();
        var folder = Path.Combine(Backups, id);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")))!.AsObject();
        using var key = RSA.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(keys.Private));
        foreach (var table in manifest["tables"]!.AsArray().Select(node => node!.AsObject()))
        {
            var (name, file) = (table["table"]!.GetValue<string>(), table["file"]!.GetValue<string>());
            Assert.Single(manifest["tables"]!.AsArray(), node => node!["table"]!.GetValue<string>() == name); // one file each: small tables, one day of audit
            var plaintext = Serverless.Backup.BackupEnvelope.Decrypt(key, await File.ReadAllBytesAsync(Path.Combine(folder, file)), $"{id}/{file}");
            var old = Serverless.Backup.BackupEnvelope.Encrypt(key, plaintext, $"{id}/tables/{name}.enc");
            File.Delete(Path.Combine(folder, file));
            await File.WriteAllBytesAsync(Path.Combine(folder, "tables", $"{name}.enc"), old);
            table["file"] = $"tables/{name}.enc";
            table["sha256"] = Serverless.Backup.BackupEnvelope.Sha256(old);
            table.Remove("partition");
            table.Remove("backupId");
        }

        manifest["formatVersion"] = 1;
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), manifest.ToJsonString());
        await TestSigningKey.ResignAsync(folder);
        var target = TestStorage.NewPrefix();

        var (code, output, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.StartsWith($"Restored backup {id}: ", output, StringComparison.Ordinal);
        Assert.Equal(await SnapshotAsync(host, host.Prefix), WithoutTheRestoreRecord(await SnapshotAsync(host, target)));
    }

    [Fact]
    public async Task BackupFilesHoldNoPlaintextNamesOrIds()
    {
        await using var host = await TestHost.StartAsync();
        var caseIds = await SeedAsync(host);
        var keys = await CreateKeyAsync("coordinator");

        var (code, _, _) = await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups);

        Assert.Equal(ExitCodes.Ok, code);
        var files = Directory.GetFiles(Backups, "*", SearchOption.AllDirectories);
        Assert.Contains(files, file => file.EndsWith("Cases.00000.enc", StringComparison.Ordinal));
        string[] secrets = [DistinctiveFamilyName, "タカツカサ", caseIds[0], "probe-secret-note", "readme.txt", DistinctiveNarrative];
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var secret in secrets)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{secret} in UTF-8 in {file}");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{secret} in UTF-16 in {file}");
            }
        }
    }

    [Fact]
    public async Task RestoreWithTheWrongPrivateKeyFailsClearlyAndWritesNothing()
    {
        var (source, keys) = await BackUpAsync();
        await using var _ = source;
        var other = await CreateKeyAsync("someone-else");
        var target = TestStorage.NewPrefix();

        var (code, output, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", other.Private);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("", output);
        Assert.Matches(
            "^Wrong private key: backup [0-9TZ]+ is encrypted for key sha256:[0-9a-f]{64}, and the key given is sha256:[0-9a-f]{64}\\. Nothing was written\\.$",
            error.Trim());
        Assert.Contains(Fingerprint(keys.Public), error, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(source, target);
    }

    [Fact]
    public async Task AWrongKeyWhoseFingerprintWasForgedIntoTheManifestFailsToUnwrapAndWritesNothing()
    {
        var (source, _) = await BackUpAsync();
        await using var _ = source;
        var other = await CreateKeyAsync("someone-else");
        var (id, _) = CasesFile();
        var manifestPath = Path.Combine(Backups, id, "manifest.json");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        manifest["recipientKeySha256"] = Fingerprint(other.Public);
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        await TestSigningKey.ResignAsync(Path.GetDirectoryName(manifestPath)!);
        var target = TestStorage.NewPrefix();

        var (code, _, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", other.Private);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(
            $"{id}/tables/Agencies.00000.enc: the private key cannot unwrap this file's key (wrong key, or the file was changed). Nothing was written.",
            error.Trim());
        await AssertNothingWrittenAsync(source, target);
    }

    [Fact]
    public async Task RestoreWithoutAnEarlierBackupOfTheChainFailsAndWritesNothing()
    {
        var (source, keys) = await BackUpAsync();
        await using var _ = source;
        var (code, _, _) = await RunAsync(source.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups);
        Assert.Equal(ExitCodes.Ok, code);
        var ids = Directory.GetDirectories(Backups).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Directory.Move(Path.Combine(Backups, ids[0]!), Path.Combine(work, "moved-away"));
        var target = TestStorage.NewPrefix();

        var (restoreCode, _, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);

        Assert.Equal(ExitCodes.Failure, restoreCode);
        Assert.Matches(
            $"^{ids[0]}/blobs/[0-9a-f]{{64}}\\.enc is missing \\(a restore needs every backup of the chain in .+\\); nothing was written\\.$",
            error.Trim());
        await AssertNothingWrittenAsync(source, target);
    }

    [Fact]
    public async Task APasswordProtectedKeyWithTheWrongPasswordIsAUsageError()
    {
        var variable = SetPassword("the right one");
        var keys = await CreateKeyAsync("coordinator", "--password-env", variable);
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", await File.ReadAllTextAsync(keys.Private), StringComparison.Ordinal);
        Environment.SetEnvironmentVariable(variable, "a wrong one");
        Directory.CreateDirectory(Backups);

        var (code, _, error) = await RunAsync(TestStorage.NewPrefix(), "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private, "--password-env", variable);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"{keys.Private} could not be opened: wrong password, or not an RSA private key.", error.Trim());
    }

    [Fact]
    public async Task ATamperedFileIsCaughtByItsManifestHashAndWritesNothing()
    {
        var (source, keys) = await BackUpAsync();
        await using var _ = source;
        var (id, cases) = CasesFile();
        FlipLastByte(cases);
        var target = TestStorage.NewPrefix();

        var (code, _, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(
            $"{id}/tables/Cases.00000.enc does not match the SHA-256 in the manifest: the file was changed or damaged; nothing was written.",
            error.Trim());
        await AssertNothingWrittenAsync(source, target);
    }

    [Fact]
    public async Task ATamperedFileWithAForgedManifestHashFailsTheGcmTagCheckAndWritesNothing()
    {
        var (source, keys) = await BackUpAsync();
        await using var _ = source;
        var (id, cases) = CasesFile();
        FlipLastByte(cases);
        var manifestPath = Path.Combine(Backups, id, "manifest.json");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        var entry = manifest["tables"]!.AsArray().Single(table => (string?)table!["table"] == "Cases")!;
        entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(cases)));
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        await TestSigningKey.ResignAsync(Path.GetDirectoryName(manifestPath)!);
        var target = TestStorage.NewPrefix();

        var (code, _, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(
            $"{id}/tables/Cases.00000.enc failed the AES-GCM integrity check: the file was changed or damaged. Nothing was written.",
            error.Trim());
        await AssertNothingWrittenAsync(source, target);
    }

    [Fact]
    public async Task RestoreIntoAnInstanceThatHoldsDataIsRefused()
    {
        var (source, keys) = await BackUpAsync();
        await using var _ = source;
        var before = await SnapshotAsync(source, source.Prefix);

        var (code, output, error) = await RunAsync(source.Prefix, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("", output);
        Assert.Equal(
            $"Refusing to restore: table {source.Prefix}Agencies already has entities. Restore only into an empty instance (a new deployment); nothing was written.",
            error.Trim());
        Assert.Equal(before, await SnapshotAsync(source, source.Prefix));
    }

    [Fact]
    public async Task BackupWithoutARecipientKeyIsAUsageError()
    {
        var (code, output, error) = await RunAsync(TestStorage.NewPrefix(), "backup", "--to-directory", Backups);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Equal(
            ["Option '--recipient-key' is required.", "Run 'serverless-ops --help' (or a command with --help) for usage."],
            error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(Backups));
    }

    [Fact]
    public async Task BackupToAPrivateKeyIsAUsageErrorThatNamesThePublicKey()
    {
        var keys = await CreateKeyAsync("coordinator");

        var (code, _, error) = await RunAsync(TestStorage.NewPrefix(), "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Private, "--to-directory", Backups);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"{keys.Private} is a private key. Give the coordinating body's PUBLIC key", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Backups));
    }

    [Fact]
    public async Task BackupToAShortKeyIsAUsageError()
    {
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(work, "short.pub.pem");
        await File.WriteAllTextAsync(path, rsa.ExportSubjectPublicKeyInfoPem());

        var (code, _, error) = await RunAsync(TestStorage.NewPrefix(), "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", path, "--to-directory", Backups);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"{path} is a 2048-bit RSA key; backups need at least 3072 bits.", error.Trim());
    }

    [Fact]
    public async Task BackupKeyCreateWritesAPrivateKeyOnlyItsOwnerCanReadAndRefusesToOverwrite()
    {
        var keys = await CreateKeyAsync("coordinator");

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(keys.Private), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", await File.ReadAllTextAsync(keys.Public), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys.Private));
        }

        var (code, _, error) = await RunAsync(null, "backup-key", "create", "--out", Path.GetDirectoryName(keys.Private)!);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.EndsWith("already holds a backup key; not overwriting it (backups made for it would become unreadable).", error.Trim(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The restore-time figure in tools/Ops/Backup/README.md: 12,000 entities of about 1 KB in 1,200
    /// partitions (a town's cases are fewer; its audit log reaches this in a month or so), backed up and
    /// restored against Azurite. The table spans three files of at most 5,000 entities, which the restore
    /// puts back with zero differences.
    /// </summary>
    [Fact]
    public async Task RestoreTimeIsMeasured()
    {
        const int partitions = 1_200;
        const int perPartition = 10;
        await using var host = await TestHost.StartAsync(seedDirectory: false);
        var table = host.Storage.Tables.GetTableClient(host.Names.Table(HealthProbeService.TableName));
        var filler = new string('x', 1000);
        await Parallel.ForEachAsync(Enumerable.Range(0, partitions), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (partition, token) =>
            await table.SubmitTransactionAsync(
                Enumerable.Range(0, perPartition).Select(row => new TableTransactionAction(
                    TableTransactionActionType.Add,
                    new TableEntity($"p{partition:D4}", $"r{row:D2}") { ["Body"] = filler, ["Number"] = (long)row })),
                token));
        var keys = await CreateKeyAsync("coordinator");

        var backupWatch = Stopwatch.StartNew();
        var (backupCode, _, _) = await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups);
        backupWatch.Stop();
        var target = TestStorage.NewPrefix();
        var restoreWatch = Stopwatch.StartNew();
        var (restoreCode, output, _) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);
        restoreWatch.Stop();

        Assert.Equal(ExitCodes.Ok, backupCode);
        Assert.Equal(ExitCodes.Ok, restoreCode);
        log.WriteLine($"{partitions * perPartition} entities: backup {backupWatch.Elapsed.TotalSeconds:0.0}s, restore {restoreWatch.Elapsed.TotalSeconds:0.0}s ({FirstLine(output)})");
        Assert.StartsWith($"Restored backup ", output, StringComparison.Ordinal);
        Assert.Contains($" {(partitions * perPartition) + 1} entities", output, StringComparison.Ordinal); // and the export's own audit entry, written before the copy
        var (_, cases) = CasesFile();
        var files = Directory.GetFiles(Path.GetDirectoryName(cases)!, $"{HealthProbeService.TableName}.*.enc").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal([$"{HealthProbeService.TableName}.00000.enc", $"{HealthProbeService.TableName}.00001.enc", $"{HealthProbeService.TableName}.00002.enc"], files);
        Assert.Equal(await SnapshotAsync(host, host.Prefix), WithoutTheRestoreRecord(await SnapshotAsync(host, target)));
    }

    public void Dispose()
    {
        foreach (var variable in passwordVariables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Directory.Delete(work, recursive: true);
    }

    /// <summary>A password in an environment variable of this test's own, as <c>--password-env</c> reads it.</summary>
    private string SetPassword(string password)
    {
        var variable = "BACKUP_TEST_PASSWORD_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, password);
        passwordVariables.Add(variable);
        return variable;
    }

    /// <summary>Seeds a host, backs it up to <see cref="Backups"/>; the caller disposes the host.</summary>
    private async Task<(TestHost Host, (string Private, string Public) Keys)> BackUpAsync()
    {
        var host = await TestHost.StartAsync();
        await SeedAsync(host);
        var keys = await CreateKeyAsync("coordinator");
        var (code, _, error) = await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups);
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Ok, code);
        return (host, keys);
    }

    private (string Id, string Path) CasesFile()
    {
        var id = Path.GetFileName(Assert.Single(Directory.GetDirectories(Backups)));
        return (id, Path.Combine(Backups, id, "tables", "Cases.00000.enc"));
    }

    private static void FlipLastByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    private static string Fingerprint(string publicKeyPath)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(publicKeyPath));
        return Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()));
    }

    private async Task<(string Private, string Public)> CreateKeyAsync(string name, params string[] more)
    {
        var directory = Path.Combine(work, "keys", name);
        var (code, output, error) = await RunAsync(null, ["backup-key", "create", "--out", directory, .. more]);
        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("it never goes to IT or to Azure", output, StringComparison.Ordinal);
        return (Path.Combine(directory, "coordinator.pem"), Path.Combine(directory, "coordinator.pub.pem"));
    }

    /// <summary>Cases through the app's own service (one corrected, so it has two versions), an entity
    /// with every EDM type, and blobs with metadata and a content type in the declared container.</summary>
    /// <summary>A report's narrative that appears nowhere else (the round trip and the plaintext check look for it).</summary>
    private const string DistinctiveNarrative = "登校時に頬の腫れを確認。本人は「階段で転んだ」と話した。";

    /// <summary>A report sent with an Idempotency-Key (so its completion record and mark exist too), corrected once, and a reply.</summary>
    private static async Task SeedEntriesAsync(TestHost host, string caseId)
    {
        var report = new Serverless.Entries.ReportRequest
        {
            ObservedAt = "2025-06-16T08:10:00+09:00",
            Kind = Serverless.Entries.ReportKind.Injury,
            Narrative = DistinctiveNarrative,
            Scope = new Serverless.Entries.ScopeInput { Audience = EntryAudience.AllParticipants },
            Injury = new Serverless.Entries.InjuryInput { BodyParts = [Serverless.Entries.BodyPart.Face] },
        };
        var key = Serverless.Idempotency.IdempotencyKey.For(Coordinator, "reports", "seed-report", Encoding.UTF8.GetBytes("seed"));
        var submitted = await host.Get<Serverless.Entries.ReportService>().SubmitAsync(Coordinator, caseId, report, key, $"/api/cases/{caseId}/reports", CancellationToken.None);
        var reportId = JsonNode.Parse(Assert.IsType<CaseOutcome<Serverless.Entries.EntryAdded>.Done>(submitted).Value.Response.Body)!["entryId"]!.GetValue<string>();
        var correction = new Serverless.Entries.CorrectionRequest { Reason = "部位の訂正", Report = report with { Narrative = DistinctiveNarrative + "（右頬）" } };
        Assert.IsType<CaseOutcome<Serverless.Entries.ReportView>.Done>(await host.Get<Serverless.Entries.ReportService>().CorrectAsync(Coordinator, caseId, reportId, correction, CancellationToken.None));
        var reply = new Serverless.Entries.CommentRequest { Text = "確認しました", InReplyTo = reportId };
        Assert.IsType<CaseOutcome<Serverless.Entries.EntryAdded>.Done>(await host.Get<Serverless.Entries.CommentService>().AddAsync(Coordinator, caseId, reply, null, $"/api/cases/{caseId}/comments", CancellationToken.None));
    }

    internal static async Task<List<string>> SeedAsync(TestHost host)
    {
        await host.SaveDemoAgenciesAsync();
        var ids = new List<string>
        {
            await CreateCaseAsync(host, DistinctiveFamilyName, "葵", "タカツカサ", "アオイ", 6),
            await CreateCaseAsync(host, "柏木", "蒼", "カシワギ", "アオイ", 4),
            await CreateCaseAsync(host, "綾小路", "凛", "アヤノコウジ", "リン", 11),
        };
        var corrected = await host.Get<CaseService>().UpdateAsync(
            Coordinator, ids[0], new ExpectedVersion(1), new UpdateCaseRequest("notes corrected", new JsonObject { ["notes"] = "訂正後のメモ" }), CancellationToken.None);
        Assert.Equal(2, Assert.IsType<CaseOutcome<CaseView>.Done>(corrected).Value.Version);
        await SeedEntriesAsync(host, ids[0]);

        var probes = host.Storage.Tables.GetTableClient(host.Names.Table(HealthProbeService.TableName));
        await probes.AddEntityAsync(new TableEntity("backup-test", "every-type")
        {
            ["Text"] = "probe-secret-note",
            ["Small"] = 42,
            ["Large"] = 9_007_199_254_740_993L,
            ["Ratio"] = 0.1,
            ["Whole"] = 2.0,
            ["Flag"] = true,
            ["At"] = new DateTimeOffset(2026, 11, 25, 9, 5, 1, TimeSpan.Zero).AddTicks(1234567),
            ["Id"] = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ["Bytes"] = new byte[] { 0, 1, 2, 254, 255 },
        });

        await UploadAsync(host, "folder/readme.txt", "こんにちは", "text/plain; charset=utf-8", new() { ["purpose"] = "backup-test", ["owner"] = "ops" });
        await UploadAsync(host, "empty.bin", "", "application/octet-stream", []);
        await SeedReferralAsync(host);
        await SeedAttendanceAsync(host, ids[0]);
        await SeedCouncilAsync(host, ids[1]);
        return ids;
    }

    /// <summary>A council meeting, its review of the second case with a task (the task's row in the case's partition, its
    /// reminder pointer in TaskReminders) and a numbered copy of the ledger taken for the meeting.</summary>
    private static async Task SeedCouncilAsync(TestHost host, string caseId)
    {
        var today = Serverless.Time.JapanTime.Today(host.Get<TimeProvider>());
        var meetings = host.Get<Serverless.Council.Meetings.MeetingService>();
        var meeting = Assert.IsType<CaseOutcome<Serverless.Council.Meetings.MeetingView>.Done>(await meetings.CreateAsync(
            Coordinator, new Serverless.Council.Meetings.CreateMeetingRequest(MeetingKind.Practitioners, today, "第1回実務者会議", ["midori-kodomo-ka"]), CancellationToken.None)).Value;
        var review = await meetings.ReviewAsync(Coordinator, meeting.MeetingId, new ExpectedVersion(1), new Serverless.Council.Meetings.ReviewRequest(
            caseId, CaseStatus.Registered, SupportPolicy: "見守りを続ける", Tasks: [new Serverless.Council.Tasks.TaskInput("出欠の確認", OwnerAgencyId: "minami-shogakko", DueDate: today.AddDays(10))]), CancellationToken.None);
        Assert.IsType<CaseOutcome<Serverless.Council.Meetings.ReviewView>.Done>(review);
        await host.Get<Serverless.Council.Ledger.LedgerCopies>().TakeAsync(meeting.MeetingId, "coordinator-sato", DateTimeOffset.UtcNow, "csv", 3, CancellationToken.None);
    }

    /// <summary>An attendance-list entry of the first case with a month's report row (they belong to the case, and the
    /// backup carries the Attendance table whole).</summary>
    private static async Task SeedAttendanceAsync(TestHost host, string caseId)
    {
        var store = host.Get<Serverless.Attendance.AttendanceStore>();
        var entry = await store.AddEntryAsync(new Serverless.Attendance.ListEntry(Serverless.Attendance.AttendanceIds.NewEntry(), "minami-shogakko", caseId, new DateOnly(2025, 6, 1), DateTimeOffset.UtcNow, "seed"), CancellationToken.None);
        var row = new Serverless.Attendance.AttendanceRow(entry.EntryId, 18, 1, 0, 1, [new DateOnly(2025, 5, 12)], "体調不良で1日欠席");
        Assert.True(await store.SaveReportAsync("minami-shogakko", "2025-05", new Serverless.Attendance.ReportHead(1, DateTimeOffset.UtcNow, "person", "seed", 1), default, [(row, caseId)], CancellationToken.None));
    }

    /// <summary>A call entered by a coordinator and closed with no further action: it has no case to travel with, so the
    /// backup must carry the Referrals table itself (its head, its pointers, its receipt number).</summary>
    private static async Task SeedReferralAsync(TestHost host)
    {
        var request = new Serverless.Referrals.ReferralRequest
        {
            Kind = Serverless.Referrals.ReferralKind.CareConsultation,
            ObservedAt = "2025-06-01T10:00:00+09:00",
            Narrative = "近所の方から、夜に子どもの泣き声がするとの相談。",
            Child = new Serverless.Referrals.ChildDescription { Area = "緑町二丁目" },
            Referrer = new Serverless.Referrals.ReferrerInput { Name = "通告者 備前", MayContact = true },
            Intake = new Serverless.Referrals.IntakeInput { Channel = Serverless.Referrals.ReferralChannel.Phone },
        };
        var submitted = await host.Get<Serverless.Referrals.ReferralIntake>().SubmitAsync(Coordinator, request, null, "/api/referrals", CancellationToken.None);
        var receipt = JsonNode.Parse(Assert.IsType<CaseOutcome<Serverless.Entries.EntryAdded>.Done>(submitted).Value.Response.Body)!;
        var decided = await host.Get<Serverless.Referrals.ReferralTriage>().DecideAsync(
            Coordinator,
            (string)receipt["referralId"]!,
            new Serverless.Referrals.DecisionRequest { Outcome = Serverless.Referrals.ReferralOutcome.NoFurtherAction, MeetingDate = new DateOnly(2025, 6, 2), Reason = "助言のみで終了" },
            CancellationToken.None);
        Assert.IsType<CaseOutcome<Serverless.Referrals.ReferralView>.Done>(decided);
    }

    private static async Task<string> CreateCaseAsync(TestHost host, string family, string given, string familyKana, string givenKana, int age)
    {
        var record = new CaseRecord
        {
            Category = CaseCategory.RequiringSupport,
            Child = new Person
            {
                Name = new PersonName { Family = family, Given = given, FamilyKana = familyKana, GivenKana = givenKana },
                BirthDate = JapanTime.Today(TimeProvider.System).AddYears(-age),
            },
            LeadAgencyId = "midori-kodomo-ka",
            Notes = $"{family}さんのメモ",
        };
        var outcome = await host.Get<CaseService>().CreateAsync(Coordinator, new CreateCaseRequest(record), CancellationToken.None);
        return Assert.IsType<CaseOutcome<CaseView>.Done>(outcome).Value.CaseId;
    }

    internal static async Task UploadAsync(TestHost host, string name, string content, string contentType, Dictionary<string, string> metadata)
    {
        var container = host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(HealthService.Container));
        await container.GetBlobClient(name).UploadAsync(
            BinaryData.FromString(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType }, Metadata = metadata });
    }

    /// <summary>
    /// Every entity of every declared table (keys, each property's name, CLR type and exact value;
    /// not Timestamp or ETag) and every blob of every declared container (content, content type,
    /// metadata), one sorted line each, by base name so two prefixes compare.
    /// </summary>
    internal static async Task<List<string>> SnapshotAsync(TestHost host, string prefix)
    {
        var clients = TestStorage.Clients(prefix);
        var names = TestStorage.Names(prefix);
        var declared = host.Get<IOptions<StorageResources>>().Value;
        var lines = new List<string>();
        foreach (var table in declared.Tables)
        {
            await foreach (var entity in clients.Tables.GetTableClient(names.Table(table)).QueryAsync<TableEntity>())
            {
                var properties = entity
                    .Where(property => property.Key is not ("PartitionKey" or "RowKey" or "Timestamp") && !property.Key.StartsWith("odata.", StringComparison.Ordinal))
                    .OrderBy(property => property.Key, StringComparer.Ordinal)
                    .Select(property => $"{property.Key}:{property.Value!.GetType().Name}={Format(property.Value)}");
                lines.Add($"table|{table}|{entity.PartitionKey}|{entity.RowKey}|{string.Join("|", properties)}");
            }
        }

        foreach (var container in declared.Containers)
        {
            var containerClient = clients.Blobs.GetBlobContainerClient(names.Container(container));
            await foreach (var item in containerClient.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
            {
                var download = (await containerClient.GetBlobClient(item.Name).DownloadContentAsync()).Value;
                var metadata = string.Join(",", download.Details.Metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
                lines.Add($"blob|{container}|{item.Name}|{download.Details.ContentType}|{metadata}|{Convert.ToBase64String(download.Content.ToArray())}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The restore's own audit event, the one entry a restore adds to what it restored.</summary>
    internal static List<string> WithoutTheRestoreRecord(List<string> lines)
    {
        var record = Assert.Single(lines, line => line.StartsWith($"table|{Serverless.Audit.AuditTables.LogTable}|", StringComparison.Ordinal)
            && line.Contains($"|Action:String={Serverless.Audit.AuditActions.BackupRestore}|", StringComparison.Ordinal));
        return [.. lines.Where(line => !ReferenceEquals(line, record))];
    }

    internal static string FirstLine(string output) => output.Split('\n')[0].TrimEnd();

    private static string Format(object value) => value switch
    {
        DateTimeOffset time => time.UtcTicks.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        BinaryData data => Convert.ToBase64String(data.ToArray()),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static async Task AssertNothingWrittenAsync(TestHost host, string target)
    {
        var clients = TestStorage.Clients(target);
        var names = TestStorage.Names(target);
        var declared = host.Get<IOptions<StorageResources>>().Value;
        foreach (var table in declared.Tables)
        {
            var tableName = names.Table(table);
            Assert.Empty(await clients.Tables.QueryAsync(filter: TableClient.CreateQueryFilter($"TableName eq {tableName}")).ToListAsync());
        }

        foreach (var container in declared.Containers)
        {
            Assert.False((await clients.Blobs.GetBlobContainerClient(names.Container(container)).ExistsAsync()).Value);
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string? prefix, params string[] args)
        => OpsTool.RunAsync(prefix, args);
}
