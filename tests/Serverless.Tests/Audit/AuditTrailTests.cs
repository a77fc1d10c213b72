using System.Globalization;
using Azure;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Audit.AuditTestHost;

namespace Serverless.Tests.Audit;

/// <summary>The write side against Azurite: exactly which rows each call stores, and what it costs.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task BeginWritesOneIntentEntryInTheDayPartitionUnderATimeSortableId()
    {
        await using var host = await StartAsync();
        var caseId = CaseIds.New();

        var intent = await host.Trail().BeginAsync(Coordinator, Request("req-1"), AuditActions.CaseRead, caseId, "e-42", breakGlass: true, CancellationToken.None);

        Assert.Matches("^[0-9]{19}-[0-9a-f]{12}$", intent.EntryId);
        Assert.StartsWith(Start.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-", intent.EntryId, StringComparison.Ordinal);
        Assert.Equal(new AuditIntent(intent.EntryId, Coordinator, Request("req-1"), AuditActions.CaseRead, caseId, "e-42", Start), intent);
        var row = Assert.Single(await host.EntriesAsync());
        Assert.Equal(
            ("20261120", intent.EntryId, 1, "intent", (string?)null, Start, "Person", "p-sato", "a-midori-kodomo", "coordinator", "case.read", caseId, "e-42", (string?)null, true, "req-1", "203.0.113.7", (string?)null, (string?)null),
            (row.PartitionKey, row.RowKey, row.SchemaVersion, row.Kind, row.IntentId, row.At, row.ActorKind, row.ActorId, row.AgencyId, row.Role, row.Action, row.CaseId, row.EntryId, row.Outcome, row.BreakGlass, row.RequestId, row.ClientAddress, row.CasesTouched, row.RejectedFields));
        Assert.Empty(await host.IndexRowsAsync()); // an intent is not an answer: the index lists outcomes
    }

    [Fact]
    public async Task CompleteWritesOneOutcomeListingTheCasesItsAnswerCarriedWhichTheIndexerIndexesOncePerCase()
    {
        await using var host = await StartAsync();
        var (own, listedA, listedB) = (CaseIds.New(), CaseIds.New(), CaseIds.New());
        var intent = await host.Trail().BeginAsync(Coordinator, Request("req-2"), AuditActions.CaseHistory, own, null, false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromMilliseconds(250));
        var finalActor = Coordinator with { Role = "coordinator-lead" };

        await host.Trail().CompleteAsync(intent, finalActor, AuditOutcome.Succeeded, [listedA, own, listedB, listedA], breakGlass: true, CancellationToken.None);

        var outcome = Assert.Single(await host.EntriesAsync(), entry => entry.Kind == AuditEntryKinds.Outcome);
        var at = Start.AddMilliseconds(250);
        Assert.Equal(
            ("20261120", intent.EntryId, at, "p-sato", "coordinator-lead", "case.history", own, "Succeeded", true, "req-2", "203.0.113.7", $"{listedA},{listedB}"),
            (outcome.PartitionKey, outcome.IntentId, outcome.At, outcome.ActorId, outcome.Role, outcome.Action, outcome.CaseId, outcome.Outcome, outcome.BreakGlass, outcome.RequestId, outcome.ClientAddress, outcome.CasesTouched));
        Assert.StartsWith(at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-", outcome.RowKey, StringComparison.Ordinal);
        Assert.Empty(await host.IndexRowsAsync()); // the request wrote one entry; the index follows when it is sealed
        Assert.Equal(3, await host.Get<AuditIndexer>().IndexAsync(await host.RawEntriesAsync(), CancellationToken.None));
        Assert.Equal(3, await host.Get<AuditIndexer>().IndexAsync(await host.RawEntriesAsync(), CancellationToken.None)); // again: the same rows
        var index = await host.IndexRowsAsync();
        Assert.Equal(new[] { own, listedA, listedB }.Order(StringComparer.Ordinal), index.Select(row => row.PartitionKey).Order(StringComparer.Ordinal));
        Assert.All(index, row => Assert.Equal(
            (outcome.RowKey, 1, "outcome", at, "Person", "p-sato", "a-midori-kodomo", "coordinator-lead", "case.history", (string?)null, "Succeeded", true, "req-2"),
            (row.RowKey, row.SchemaVersion, row.Kind, row.At, row.ActorKind, row.ActorId, row.AgencyId, row.Role, row.Action, row.EntryId, row.Outcome, row.BreakGlass, row.RequestId)));
    }

    [Fact]
    public async Task RecordWritesOneEventEntryIndexedOnlyWhenItNamesACase()
    {
        await using var host = await StartAsync();
        var caseId = CaseIds.New();
        var key = new AuditActor(AuditActorKind.SubmissionKey, "k-7f3a", "a-midori-school", null);

        await host.Trail().RecordAsync(key, Request("req-3"), AuditActions.CaseRead, caseId, AuditOutcome.Unauthenticated, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromTicks(1)); // ids sort by time; one tick apart is enough
        await host.Trail().RecordAsync(AuditActor.Anonymous, new AuditRequest("req-4", null), AuditActions.SignIn, null, AuditOutcome.Unauthenticated, CancellationToken.None);

        var entries = await host.EntriesAsync();
        Assert.Equal(
            [
                ("event", "SubmissionKey", "k-7f3a", "case.read", caseId, "Unauthenticated", "req-3", "203.0.113.7"),
                ("event", "Anonymous", null, "auth.sign-in", null, "Unauthenticated", "req-4", null),
            ],
            entries.Select(entry => (entry.Kind, entry.ActorKind, entry.ActorId, entry.Action, entry.CaseId, entry.Outcome, entry.RequestId, entry.ClientAddress)));
        await host.Get<AuditIndexer>().IndexAsync(await host.RawEntriesAsync(), CancellationToken.None);
        var row = Assert.Single(await host.IndexRowsAsync());
        Assert.Equal((caseId, entries[0].RowKey, "event", "Unauthenticated"), (row.PartitionKey, row.RowKey, row.Kind, row.Outcome));
    }

    [Fact]
    public async Task StorageOperationsAreOneInsertPerEntryWhateverTheAnswerCarriedWithNoReads()
    {
        await using var host = await StartAsync();
        var caseId = CaseIds.New();
        var log = $"table POST {host.Prefix}{AuditTables.LogTable}";

        var begin = await CostAsync(host, () => host.Trail().BeginAsync(Coordinator, Request("r"), AuditActions.CaseRead, caseId, null, false, CancellationToken.None));
        var intent = (await host.EntriesAsync()).Single();
        var complete = await CostAsync(host, () => host.Trail().CompleteAsync(
            new AuditIntent(intent.RowKey, Coordinator, Request("r"), AuditActions.CaseRead, caseId, null, intent.At), Coordinator, AuditOutcome.Succeeded, [], false, CancellationToken.None));
        var completeList = await CostAsync(host, () => host.Trail().CompleteAsync(
            new AuditIntent(intent.RowKey, Coordinator, Request("r"), AuditActions.CaseList, null, null, intent.At), Coordinator, AuditOutcome.Succeeded, [CaseIds.New(), CaseIds.New(), CaseIds.New()], false, CancellationToken.None));
        var record = await CostAsync(host, () => host.Trail().RecordAsync(Coordinator, Request("r"), AuditActions.CaseRead, caseId, AuditOutcome.Refused, CancellationToken.None));
        var recordWithoutCase = await CostAsync(host, () => host.Trail().RecordAsync(AuditActor.Anonymous, Request("r"), AuditActions.SignIn, null, AuditOutcome.Unauthenticated, CancellationToken.None));

        Assert.Equal(new Dictionary<string, long> { [log] = 1 }, begin);
        Assert.Equal(new Dictionary<string, long> { [log] = 1 }, complete);
        Assert.Equal(new Dictionary<string, long> { [log] = 1 }, completeList); // three cases, still one write
        Assert.Equal(new Dictionary<string, long> { [log] = 1 }, record);
        Assert.Equal(new Dictionary<string, long> { [log] = 1 }, recordWithoutCase);
    }

    [Fact]
    public async Task BeginThrowsWhenTheIntentCannotBeWritten()
    {
        await using var host = await StartAsync();
        await host.LogTable().DeleteAsync();

        var thrown = await Assert.ThrowsAsync<AuditUnavailableException>(
            () => host.Trail().BeginAsync(Coordinator, Request("req-5"), AuditActions.CaseUpdate, CaseIds.New(), null, false, CancellationToken.None));

        Assert.Equal(404, Assert.IsType<RequestFailedException>(thrown.InnerException).Status);
        Assert.Single(host.Logs.Entries, entry => entry.Text.StartsWith("Audit intent for action case.update (request req-5) could not be written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BeginThrowsWhenStorageCannotBeReached()
    {
        await using var host = await StartAsync();
        // Azurite's public development account on a port nothing listens on: the SDK gives up after its retries.
        var dead = new StorageClients(Microsoft.Extensions.Options.Options.Create(new StorageOptions
        {
            ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1",
        }), new StorageOperationCounter());
        var trail = new AuditTrail(new AuditTables(dead, host.Names), host.Clock(), host.Get<Microsoft.Extensions.Logging.ILogger<AuditTrail>>());

        await Assert.ThrowsAsync<AuditUnavailableException>(
            () => trail.BeginAsync(Coordinator, Request("req-6"), AuditActions.CaseRead, null, null, false, CancellationToken.None));
    }

    [Fact]
    public async Task ValuesThatAreNotIdsAreNotStoredButNamed()
    {
        await using var host = await StartAsync();

        var intent = await host.Trail().BeginAsync(
            Coordinator, new AuditRequest("req-7", "鳥居ひかり"), AuditActions.CaseRead, "鳥居ひかり", "トリイ ヒカリ", false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromTicks(1));
        await host.Trail().CompleteAsync(intent, Coordinator, AuditOutcome.Missing, ["南丹市園部町"], false, CancellationToken.None);

        var entries = await host.EntriesAsync();
        Assert.Equal(
            [
                (null, null, null, null, "CaseId,EntryId,ClientAddress"),
                ((string?)null, (string?)null, (string?)null, (string?)null, "CasesTouched,ClientAddress"),
            ],
            entries.Select(entry => (entry.CaseId, entry.EntryId, entry.ClientAddress, entry.CasesTouched, entry.RejectedFields)));
        Assert.Null(intent.CaseId);
        Assert.Empty(await host.IndexRowsAsync());
    }

    [Fact]
    public async Task AnActionThatIsNotACodeIsRefusedBeforeAnythingIsWritten()
    {
        await using var host = await StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(
            () => host.Trail().BeginAsync(Coordinator, Request("r"), "read the case of 鳥居ひかり", null, null, false, CancellationToken.None));

        Assert.Empty(await host.EntriesAsync());
    }

    private static async Task<IReadOnlyDictionary<string, long>> CostAsync(TestHost host, Func<Task> action)
    {
        var scope = "audit-" + Guid.NewGuid().ToString("N");
        using (StorageOperationCounter.BeginScope(scope))
        {
            await action();
        }

        return host.Counter.For(scope);
    }
}
