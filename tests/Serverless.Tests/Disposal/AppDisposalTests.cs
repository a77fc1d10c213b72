using System.Net;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Serverless.Audit;
using Serverless.Cases.Disposal;
using Serverless.Cases.Storage;
using Serverless.Ops;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Disposal;

/// <summary>
/// The app runs an approved disposal itself: the approval queues the case id on <c>disposals</c>, hidden for
/// <c>Disposal:ExecutionDelay</c>; the DisposalRun function then deletes every copy of the case (as the ops run
/// does), audited as <c>app-disposal</c>, and copies the register line into the backup container, so that a
/// restore from the container never brings the case back. Withdrawn, held or repeated: nothing happens.
/// </summary>
public sealed class AppDisposalTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string work = Directory.CreateTempSubdirectory("serverless-app-disposal-tests-").FullName;
    private readonly string backupContainer = "disposal-backups-" + Guid.NewGuid().ToString("N")[..12];

    private BlobContainerClient Backups => new(TestStorage.ConnectionString, backupContainer);

    /// <summary>The Queue service hides a message for 7 days at most: a longer delay stops the app at start, and the
    /// queue itself refuses one.</summary>
    [Fact]
    public async Task ADelayOverSevenDaysIsRefusedAtStartUpAndByTheQueue()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => StartAsync("7.00:00:01"));
        Assert.Contains("Disposal:ExecutionDelay must be between 00:00:00 and 7.00:00:00", failure.Message, StringComparison.Ordinal);

        await using var api = await StartAsync("7.00:00:00");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => api.Host.Get<Serverless.Queues.WorkQueue>().SendAsync(
            DisposalQueue.Name, DisposalMessage.Create("c" + new string('a', 26)), TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(0, (await RawQueue(api.Host).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task ApprovalQueuesExactlyOneMessageHiddenForTheExecutionDelay()
    {
        await using var api = await StartAsync("00:00:03");
        var caseId = await api.ClosedCaseAsync();
        var queue = RawQueue(api.Host);

        await api.ApprovedAsync(caseId);
        var sent = DateTime.UtcNow;

        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value); // hidden: the cooling-off period
        var disposal = (await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None))!.Value.Disposal;
        Assert.Equal(CaseApi.Now + TimeSpan.FromSeconds(3), disposal.RunAfter);

        await TestHost.WaitUntilAsync(async () => (await queue.PeekMessagesAsync(32)).Value.Length > 0, Timeout, "the message becomes visible");
        Assert.True(DateTime.UtcNow - sent >= TimeSpan.FromSeconds(2), "The message became visible before its delay.");
        var message = Assert.Single((await queue.PeekMessagesAsync(32)).Value);
        Assert.Equal($$"""{"schemaVersion":1,"caseId":"{{caseId}}"}""", Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())));
    }

    [Fact]
    public async Task TheAppDisposesOfTheCaseCopiesTheRegisterAndIsAuditedAsAppDisposal()
    {
        await using var api = await StartAsync("00:00:00", backgroundTriggers: true);
        var disposals = api.Host.Get<Disposals>();

        var (disposed, kept) = await DisposalRunTests.ArrangeAsync(api);
        await TestHost.WaitUntilAsync(
            async () => (await Backups.GetBlobClient(DisposalRegisterCopy.BlobName(disposed)).ExistsAsync()).Value,
            Timeout,
            "the app has disposed of the case and copied its register line");

        // Under a loaded full run one Cases row was once still counted right after the copy appeared (never alone): wait
        // for the plan to empty, so a row that stays is still a failure, and name what is left.
        var eraser = api.Host.Get<CaseEraser>();
        await TestHost.WaitUntilAsync(async () => (await eraser.PlanAsync(disposed, CancellationToken.None)).All(count => count.Count == 0), Timeout, "nothing of the case is left");
        Assert.All(await eraser.PlanAsync(disposed, CancellationToken.None), count => Assert.True(count.Count == 0, $"{count.Store}: {count.Count} left"));
        await CaseApi.ProblemAsync(await api.GetAsync(disposed), Serverless.Problems.ProblemCatalogue.NotFound);
        using (var keptRead = await api.GetAsync(kept))
        {
            Assert.Equal(HttpStatusCode.OK, keptRead.StatusCode);
        }

        var disposal = (await disposals.FindAsync(disposed, CancellationToken.None))!.Value.Disposal;
        Assert.Equal(DisposalState.Disposed, disposal.State);
        var register = Assert.Single(await disposals.RegisterAsync(CancellationToken.None));
        Assert.Equal(new DisposalRegisterEntry(disposed, disposal.DisposedAt!.Value, disposal.ProposedBy, disposal.ApprovedBy!, "みどり市文書管理規程第12条"), register);
        var copy = (await Backups.GetBlobClient(DisposalRegisterCopy.BlobName(disposed)).DownloadContentAsync()).Value.Content;
        Assert.Equal(register, DisposalRegisterCopy.Deserialize(copy, "copy"));
        Assert.DoesNotContain("試験", copy.ToString(), StringComparison.Ordinal);

        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(disposed, 100, null, CancellationToken.None)).Page.Entries;
        var run = Assert.Single(audit, entry => entry.Action == AuditActions.OpsDisposalRun && entry.Outcome == nameof(AuditOutcome.Succeeded));
        Assert.Equal(("System", DisposalRunner.AppActorId), (run.ActorKind, run.ActorId));
        await TestHost.WaitUntilAsync(async () => (await RawQueue(api.Host).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Timeout, "the message is deleted");
        Assert.Equal(0, (await new QueueClient(TestStorage.ConnectionString, api.Host.Names.PoisonQueue(DisposalQueue.Name)).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task ADisposalWithdrawnBeforeItsRunIsANoOp()
    {
        await using var api = await StartAsync("00:00:00");
        var (caseId, _) = await DisposalRunTests.ArrangeAsync(api);
        using (var withdrawn = await api.WithdrawAsync(caseId))
        {
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }

        var rowsBefore = await DisposalRunTests.CaseRowsAsync(api.Host, caseId);
        await api.Host.Get<DisposalRunner>().RunQueuedAsync(await ReceiveAsync(api.Host), CancellationToken.None);

        Assert.Equal(rowsBefore, await DisposalRunTests.CaseRowsAsync(api.Host, caseId));
        Assert.Equal(DisposalState.Withdrawn, (await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None))!.Value.Disposal.State);
        Assert.Empty(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None));
        Assert.False((await Backups.GetBlobClient(DisposalRegisterCopy.BlobName(caseId)).ExistsAsync()).Value);
        await AssertNoRunAuditedAsync(api, caseId);
    }

    [Fact]
    public async Task AHeldCaseIsNotDisposedOfByTheApp()
    {
        await using var api = await StartAsync("00:00:00");
        var (caseId, _) = await DisposalRunTests.ArrangeAsync(api);
        using (var held = await api.HoldAsync(caseId))
        {
            Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        }

        await api.Host.Get<DisposalRunner>().RunQueuedAsync(await ReceiveAsync(api.Host), CancellationToken.None);

        using (var read = await api.GetAsync(caseId))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.Equal(DisposalState.Approved, (await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None))!.Value.Disposal.State);
        Assert.Empty(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None));
        Assert.False((await Backups.GetBlobClient(DisposalRegisterCopy.BlobName(caseId)).ExistsAsync()).Value);
        Assert.Contains(api.Host.Logs.Entries, entry => entry.Text.StartsWith($"Disposal of case {caseId} not run: held ", StringComparison.Ordinal));
        await AssertNoRunAuditedAsync(api, caseId);
    }

    /// <summary>The LegalHolds table deleted by mistake must not read as "no hold": the run fails (the message is
    /// retried, then dead-lettered) and the held case stays.</summary>
    [Fact]
    public async Task AHeldCaseIsNotDisposedOfWhenTheLegalHoldsTableIsMissing()
    {
        await using var api = await StartAsync("00:00:00");
        var (caseId, _) = await DisposalRunTests.ArrangeAsync(api);
        using (var held = await api.HoldAsync(caseId))
        {
            Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        }

        var rowsBefore = await CaseRowCountAsync(api.Host, caseId);
        Assert.True(rowsBefore > 1);
        await api.Host.Storage.Tables.DeleteTableAsync(api.Host.Names.Table(LegalHolds.TableName));
        var message = await ReceiveAsync(api.Host);

        var failure = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => api.Host.Get<DisposalRunner>().RunQueuedAsync(message, CancellationToken.None));

        Assert.Equal("TableNotFound", failure.ErrorCode);
        using (var read = await api.GetAsync(caseId))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.Equal(DisposalState.Approved, (await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None))!.Value.Disposal.State);
        Assert.Empty(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None));
        Assert.Equal(rowsBefore, await CaseRowCountAsync(api.Host, caseId)); // nothing of the case erased
        await AssertNoRunAuditedAsync(api, caseId);
    }

    [Fact]
    public async Task ProcessingTheSameMessageTwiceIsHarmless()
    {
        await using var api = await StartAsync("00:00:00");
        var (caseId, kept) = await DisposalRunTests.ArrangeAsync(api);
        var text = await ReceiveAsync(api.Host);
        var runner = api.Host.Get<DisposalRunner>();

        await runner.RunQueuedAsync(text, CancellationToken.None);
        var keptRows = await DisposalRunTests.CaseRowsAsync(api.Host, kept);
        var disposedAt = (await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None))!.Value.Disposal.DisposedAt;
        await runner.RunQueuedAsync(text, CancellationToken.None);

        Assert.Equal(keptRows, await DisposalRunTests.CaseRowsAsync(api.Host, kept));
        var disposal = (await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None))!.Value.Disposal;
        Assert.Equal((DisposalState.Disposed, disposedAt), (disposal.State, disposal.DisposedAt));
        Assert.Single(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None));
        Assert.Equal([DisposalRegisterCopy.BlobName(caseId)], await Backups.GetBlobsAsync().Select(blob => blob.Name).ToListAsync());
        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, 100, null, CancellationToken.None)).Page.Entries;
        Assert.Single(audit, entry => entry.Action == AuditActions.OpsDisposalRun && entry.Outcome == nameof(AuditOutcome.Succeeded));
    }

    [Fact]
    public async Task AMessageThatComesBeforeTheCoolingOffEndsIsSentAgainAndDeletesNothing()
    {
        await using var api = await StartAsync("1.00:00:00");
        var (caseId, _) = await DisposalRunTests.ArrangeAsync(api);

        // As a dead letter replayed early would come: visible now, a day before the run is due.
        await api.Host.Get<DisposalRunner>().RunQueuedAsync(Serverless.Queues.WorkQueue.Serialize(DisposalMessage.Create(caseId)), CancellationToken.None);

        using (var read = await api.GetAsync(caseId))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.Equal(2, (await RawQueue(api.Host).GetPropertiesAsync()).Value.ApproximateMessagesCount); // the approval's and the new one
        Assert.Empty((await RawQueue(api.Host).PeekMessagesAsync(32)).Value);
        await AssertNoRunAuditedAsync(api, caseId);
    }

    /// <summary>An approval whose message is gone (a restore brings back none; a held case is not retried by itself)
    /// is sent again by the daily catch-up once its cooling-off period is over, and then runs.</summary>
    [Fact]
    public async Task TheDailyCatchUpSendsAnOverdueApprovalWhoseMessageIsGoneAndNoOtherAgain()
    {
        await using var api = await StartAsync("1.00:00:00");
        var overdue = await api.ClosedCaseAsync();
        var waiting = await api.ClosedCaseAsync();
        await api.ApprovedAsync(overdue);
        await RawQueue(api.Host).ClearMessagesAsync(); // as after a restore
        api.Host.Clock!.Advance(TimeSpan.FromHours(12));
        await api.ApprovedAsync(waiting);
        await RawQueue(api.Host).ClearMessagesAsync();
        api.Host.Clock.Advance(TimeSpan.FromHours(13)); // the first is 25 hours old, the second 13

        var sent = await api.Host.Get<DisposalRunner>().RequeueOverdueAsync(CancellationToken.None);

        Assert.Equal(1, sent);
        var message = Assert.Single((await RawQueue(api.Host).ReceiveMessagesAsync(32)).Value);
        Assert.Equal(overdue, DisposalQueue.ReadCaseId(Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()))));
        await api.Host.Get<DisposalRunner>().RunQueuedAsync(Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())), CancellationToken.None);
        Assert.Equal(DisposalState.Disposed, (await api.Host.Get<Disposals>().FindAsync(overdue, CancellationToken.None))!.Value.Disposal.State);
        Assert.Equal(DisposalState.Approved, (await api.Host.Get<Disposals>().FindAsync(waiting, CancellationToken.None))!.Value.Disposal.State);
    }

    [Fact]
    public async Task ARestoreFromTheContainerDoesNotBringBackACaseTheAppDisposedOfAfterTheNewestBackup()
    {
        await using var api = await StartAsync("00:00:00");
        var (disposed, kept) = await DisposalRunTests.ArrangeAsync(api);
        var keys = Path.Combine(work, "keys");
        Assert.Equal(ExitCodes.Ok, (await OpsTool.RunAsync(null, "backup-key", "create", "--out", keys)).ExitCode);
        var (backup, _, backupError) = await OpsTool.RunAsync(api.Host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", Path.Combine(keys, "coordinator.pub.pem"), "--to-container-url", Backups.Uri.ToString());
        Assert.True(backup == ExitCodes.Ok, backupError);

        // The app disposes of the case after the backup: only the register copy beside the backups knows.
        await api.Host.Get<DisposalRunner>().RunQueuedAsync(await ReceiveAsync(api.Host), CancellationToken.None);
        Assert.True((await Backups.GetBlobClient(DisposalRegisterCopy.BlobName(disposed)).ExistsAsync()).Value);

        var target = TestStorage.NewPrefix();
        var (code, output, error) = await OpsTool.RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-container-url", Backups.Uri.ToString(), "--private-key", Path.Combine(keys, "coordinator.pem"));

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("Disposal register re-applied: 1 disposed case(s) deleted again.", output, StringComparison.Ordinal);
        var restoredCases = TestStorage.Clients(target).Tables.GetTableClient(TestStorage.Names(target).Table(CaseStore.TableName));
        Assert.Empty(await restoredCases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {disposed}")).ToListAsync());
        Assert.NotEmpty(await restoredCases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {kept}")).ToListAsync());
        var register = await TestStorage.Clients(target).Tables.GetTableClient(TestStorage.Names(target).Table(Disposals.TableName)).GetEntityIfExistsAsync<TableEntity>(Disposals.RegisterPartition, disposed);
        Assert.True(register.HasValue);
    }

    public void Dispose()
    {
        Directory.Delete(work, recursive: true);
        Backups.DeleteIfExists();
    }

    private Task<CaseApi> StartAsync(string executionDelay, bool backgroundTriggers = false)
        => CaseApi.StartAsync(backgroundTriggers, new Dictionary<string, string>
        {
            ["Disposal:ExecutionDelay"] = executionDelay,
            ["Backup:ConnectionString"] = TestStorage.ConnectionString,
            ["Backup:Container"] = backupContainer,
        });

    /// <summary>The approval's message as the trigger would get it (decoded), taken off the queue.</summary>
    private static async Task<string> ReceiveAsync(TestHost host)
    {
        var message = (await host.Storage.Queues.GetQueueClient(host.Names.Queue(DisposalQueue.Name)).ReceiveMessageAsync()).Value;
        Assert.NotNull(message);
        return message.Body.ToString();
    }

    private static async Task<int> CaseRowCountAsync(TestHost host, string caseId)
        => await host.Storage.Tables.GetTableClient(host.Names.Table(CaseStore.TableName)).QueryAsync<TableEntity>(row => row.PartitionKey == caseId, select: ["RowKey"]).CountAsync();

    private static async Task AssertNoRunAuditedAsync(CaseApi api, string caseId)
    {
        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, 100, null, CancellationToken.None)).Page.Entries;
        Assert.DoesNotContain(audit, entry => entry.Action == AuditActions.OpsDisposalRun);
    }

    /// <summary>A client without base64 decoding: what it peeks is the stored text.</summary>
    private static QueueClient RawQueue(TestHost host) => new(TestStorage.ConnectionString, host.Names.Queue(DisposalQueue.Name));
}
