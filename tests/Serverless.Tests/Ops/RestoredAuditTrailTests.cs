using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Audit;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Ops;

/// <summary>
/// A restore brings the audit trail back so that it verifies: sealed chain, WORM copies, index rows, and the
/// requests that were still running when the backup was taken. The source runs on the real clock with no
/// settle delay, so entries seal at once; the backup and the restore run through <c>serverless-ops</c>.
/// </summary>
public sealed class RestoredAuditTrailTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("serverless-restored-audit-tests-").FullName;

    private string Backups => Path.Combine(work, "backups");

    [Fact]
    public async Task ARestoredInstanceVerifiesCleanAndGoesOnSealing()
    {
        await using var host = await StartAsync();
        var caseIds = await BackupRestoreTests.SeedAsync(host);
        await ReadAsync(host, caseIds);
        var source = await SealAsync(host);
        Assert.True(source.SealsWritten > 0);

        // A request still running when the backup copies the log: its intent is in the backup, its outcome is not.
        var running = await host.Get<IAuditTrail>().BeginAsync(
            new AuditActor(AuditActorKind.Person, "p-running", "midori-kodomo-ka", "Coordinator"), new AuditRequest("running-request", null), AuditActions.CaseRead, caseIds[0], null, false, CancellationToken.None);

        // A seal written while the backup ran, after AuditSeals was read and before its WORM copy was listed:
        // the copy exists, its row is not in the snapshot.
        await ReadAsync(host, caseIds);
        var late = await SealAsync(host);
        Assert.Equal(1, late.SealsWritten);
        await host.Get<AuditTables>().Seals.DeleteEntityAsync(AuditSealEntity.Partition, AuditSealEntity.Key(late.LastSealNumber));

        var keys = await CreateKeyAsync();
        var (backup, _, backupError) = await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups);
        Assert.True(backup == ExitCodes.Ok, backupError);
        using (var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Assert.Single(Directory.GetDirectories(Backups)), "manifest.json"))))
        {
            // Read in this order: seals before the entries they cover, outcomes before their index rows.
            Assert.Equal(
                [AuditTables.SealTable, AuditTables.LogTable, AuditTables.ByCaseTable],
                manifest.RootElement.GetProperty("tables").EnumerateArray().Select(table => table.GetProperty("table").GetString()).TakeLast(3));
        }

        await host.Get<IAuditTrail>().CompleteAsync(running, running.Actor, AuditOutcome.Succeeded, [], false, CancellationToken.None);

        var target = TestStorage.NewPrefix();
        var (code, output, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains($"Audit: 1 request(s) still running when the backup was taken recorded with outcome {nameof(AuditOutcome.NotInBackup)}.", output, StringComparison.Ordinal);
        Assert.Matches("Audit: the restore is recorded as ops\\.backup\\.restore, request [0-9a-f]{32}\\.", output);
        var tables = new AuditTables(TestStorage.Clients(target), TestStorage.Names(target));
        var restored = await VerifyAsync(tables);
        Assert.True(restored.Clean, string.Join(Environment.NewLine, restored.Findings));
        Assert.Equal(late.LastSealNumber - 1, restored.Seals);
        Assert.False(await tables.SealBlobs.GetBlobClient(AuditTables.SealBlobName(late.LastSealNumber)).ExistsAsync());

        var log = await tables.Log.QueryAsync<TableEntity>().ToListAsync();
        var closed = Assert.Single(log, entry => entry.GetString("IntentId") == running.EntryId);
        Assert.Equal(nameof(AuditOutcome.NotInBackup), closed.GetString("Outcome"));
        Assert.Equal("p-running", closed.GetString("ActorId"));
        Assert.Equal(caseIds[0], closed.GetString("CaseId"));
        Assert.Single(log, entry => entry.GetString("Action") == AuditActions.BackupRestore && entry.GetString("Outcome") == nameof(AuditOutcome.Succeeded));

        // The restored instance seals on from the restored chain, and the chain still verifies.
        var sealer = new AuditSealer(tables, new AuditIndexer(tables), Options.Create(new AuditOptions { SettleDelay = TimeSpan.Zero }), TimeProvider.System, NullLogger<AuditSealer>.Instance);
        var next = await sealer.SealAsync(CancellationToken.None);
        Assert.Equal(late.LastSealNumber, next.LastSealNumber - next.SealsWritten + 1);
        var resealed = await VerifyAsync(tables);
        Assert.True(resealed.Clean, string.Join(Environment.NewLine, resealed.Findings));
        Assert.Equal(0, resealed.UnsealedEntries);
    }

    [Fact]
    public async Task ARestoreDoesNotHideAnIntentTheSourceLeftOpenLongBeforeTheBackup()
    {
        await using var host = await StartAsync();
        await BackupRestoreTests.SeedAsync(host);
        // A request that crashed an hour before the backup: the source's verifier reports it, and so must the restored one.
        var hourAgo = new AuditTrail(host.Get<AuditTables>(), new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1)), NullLogger<AuditTrail>.Instance);
        var crashed = await hourAgo.BeginAsync(AuditActor.Anonymous, new AuditRequest("crashed-request", null), AuditActions.CaseList, null, null, false, CancellationToken.None);
        await ReadAsync(host, []);
        var keys = await CreateKeyAsync();
        Assert.Equal(ExitCodes.Ok, (await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups)).ExitCode);

        var target = TestStorage.NewPrefix();
        var (code, output, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.DoesNotContain("still running", output, StringComparison.Ordinal);
        var source = await VerifyAsync(host.Get<AuditTables>());
        var restored = await VerifyAsync(new AuditTables(TestStorage.Clients(target), TestStorage.Names(target)));
        var finding = Assert.Single(restored.Findings);
        Assert.Equal((AuditFindingKinds.IntentWithoutOutcome, crashed.EntryId), (finding.Kind, finding.EntryId));
        Assert.Equal(finding, Assert.Single(source.Findings));
    }

    /// <summary>The live seal container is WORM: a backup whose seals are the live ones restores, and says so.</summary>
    [Fact]
    public async Task ARestoreWhoseSealsMatchTheLiveSealContainerSaysSo()
    {
        var (host, keys, live) = await SealedBackupAsync();
        await using var _ = host;

        var (code, output, error) = await RunAsync(TestStorage.NewPrefix(), "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private, "--live-seals-container-url", live.Uri.ToString());

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("Audit seals match the live seal container.", output, StringComparison.Ordinal);
    }

    /// <summary>A backup whose audit trail was rewritten (and resealed) differs from what the WORM container keeps:
    /// refused with exit code 4, unless <c>--accept-seal-mismatch</c>, which the restored trail records.</summary>
    [Fact]
    public async Task ARestoreWhoseSealsDifferFromTheLiveSealContainerIsRefused()
    {
        var (host, keys, source) = await SealedBackupAsync();
        await using var _ = host;
        var live = new Azure.Storage.Blobs.BlobContainerClient(TestStorage.ConnectionString, "live-seals-" + Guid.NewGuid().ToString("N")[..12]);
        await live.CreateAsync();
        var first = true;
        long changed = 0;
        await foreach (var item in source.GetBlobsAsync())
        {
            var content = (await source.GetBlobClient(item.Name).DownloadContentAsync()).Value.Content.ToString();
            if (first)
            {
                content += " ";
                changed = AuditTables.SealNumberOf(item.Name)!.Value;
                first = false;
            }

            await live.UploadBlobAsync(item.Name, BinaryData.FromString(content));
        }

        var target = TestStorage.NewPrefix();
        var (code, _, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private, "--live-seals-container-url", live.Uri.ToString());

        Assert.Equal(ExitCodes.UntrustedBackup, code);
        Assert.Contains($"audit seals do not match the live seal container {live.Uri}: seal {changed} differs. Refusing to restore", error, StringComparison.Ordinal);
        Assert.Empty(await TestStorage.Clients(target).Tables.QueryAsync(filter: TableClient.CreateQueryFilter($"TableName eq {TestStorage.Names(target).Table(AuditTables.LogTable)}")).ToListAsync());

        var (accepted, output, warning) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", keys.Private, "--live-seals-container-url", live.Uri.ToString(), "--accept-seal-mismatch");

        Assert.Equal(ExitCodes.Ok, accepted);
        Assert.Contains("WARNING: AUDIT SEALS DIFFER from the live seal container", warning, StringComparison.Ordinal);
        Assert.Contains(AuditActions.BackupRestoreSealMismatch, output, StringComparison.Ordinal);
        var log = TestStorage.Clients(target).Tables.GetTableClient(TestStorage.Names(target).Table(AuditTables.LogTable));
        Assert.Single(await log.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Action eq {AuditActions.BackupRestoreSealMismatch}")).ToListAsync());
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private async Task<(TestHost Host, (string Private, string Public) Keys, Azure.Storage.Blobs.BlobContainerClient Seals)> SealedBackupAsync()
    {
        var host = await StartAsync();
        var caseIds = await BackupRestoreTests.SeedAsync(host);
        await ReadAsync(host, caseIds);
        Assert.True((await SealAsync(host)).SealsWritten > 0);
        var keys = await CreateKeyAsync();
        Assert.Equal(ExitCodes.Ok, (await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", keys.Public, "--to-directory", Backups)).ExitCode);
        var seals = new Azure.Storage.Blobs.BlobContainerClient(TestStorage.ConnectionString, host.Get<Serverless.Storage.StorageNames>().Container(AuditTables.SealContainer));
        return (host, keys, seals);
    }

    /// <summary>The real clock, and no settle delay, so every entry written so far can be sealed at once.</summary>
    private static Task<TestHost> StartAsync()
        => TestHost.StartAsync(services: collection => collection.PostConfigure<AuditOptions>(options => options.SettleDelay = TimeSpan.Zero));

    /// <summary>Audited requests of every shape: reads of one case, a list page (index rows per case) and a refusal (one event).</summary>
    private static async Task ReadAsync(TestHost host, IEnumerable<string> caseIds)
    {
        foreach (var path in caseIds.Select(id => $"api/cases/{id}").Append("api/cases?status=registered"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            host.SignIn(request, "coordinator-sato");
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var anonymous = await host.Client.GetAsync("api/cases?status=registered");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static async Task<AuditSealRun> SealAsync(TestHost host)
    {
        await Task.Delay(5); // entries sealed are those strictly before now
        return await host.Get<AuditSealer>().SealAsync(CancellationToken.None);
    }

    private static Task<AuditVerificationReport> VerifyAsync(AuditTables tables)
        => new AuditVerifier(tables, Options.Create(new AuditOptions { SettleDelay = TimeSpan.Zero }), TimeProvider.System).VerifyAsync(CancellationToken.None);

    private async Task<(string Private, string Public)> CreateKeyAsync()
    {
        var directory = Path.Combine(work, "keys");
        var (code, _, error) = await RunAsync(null, "backup-key", "create", "--out", directory);
        Assert.True(code == ExitCodes.Ok, error);
        return (Path.Combine(directory, "coordinator.pem"), Path.Combine(directory, "coordinator.pub.pem"));
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string? prefix, params string[] args)
        => OpsTool.RunAsync(prefix, args);
}
