using Azure.Data.Tables;
using Serverless.Cases.Storage;
using Serverless.Entries;
using Serverless.Notifications;
using Serverless.Stats;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Reliability.Faults;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Reliability.Crashes;

/// <summary>
/// The EntryAdded handler (entry-events: the notification fan-out to every inbox, the monthly counters, the case's
/// activity summary, the announcement removed) killed before and after every one of its steps, a new host process
/// finishing the work: each report is on the timeline once, each recipient has its notification once (none missing,
/// none doubled), the counters count it once, its announcement is gone, nothing is in poison, the audit chain verifies.
/// </summary>
public sealed class EntryAddedCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AHostKilledBeforeOrAfterAnyStepOfTheFanOutLeavesEveryNotificationOnceAfterRestart()
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var clients = TestStorage.Clients(api.Host.Prefix);
        var names = api.Host.Names;
        var inbox = clients.Tables.GetTableClient(names.Table(NotificationInbox.TableName));
        var outbox = clients.Tables.GetTableClient(names.Table(EntryOutbox.TableName));
        var counters = api.Host.Get<MonthlyCounters>();
        var month = StatsMonth.Of(CaseApi.Now);
        var countersBefore = new Dictionary<string, IReadOnlyDictionary<string, long>>();
        IReadOnlyDictionary<string, long>? oneEventAdds = null;
        HashSet<string>? recipients = null;

        var scenario = new CrashScenario(
            "EntryAdded",
            EntryEvents.Queue,
            async _ =>
            {
                var before = await counters.ReadAsync(month, CancellationToken.None);
                var entryId = await api.ReportIdAsync(caseId, Report(), Teacher);
                countersBefore[entryId] = before;
                return entryId;
            },
            async entryId =>
            {
                var reports = await TimelineRowsAsync(clients, names, caseId, entryId);
                Assert.True(reports == 1, $"the report is on the timeline {reports} times");

                // Doubled: a retried fan-out wrote a second row for someone. Missing: a crash between inserts lost one.
                var told = new List<string>();
                await foreach (var row in inbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"EntryId eq {entryId}"), select: ["PartitionKey"]))
                {
                    told.Add(row.PartitionKey);
                }

                var doubled = told.GroupBy(person => person).Where(group => group.Count() > 1).Select(group => $"{group.Key} ×{group.Count()}").ToList();
                Assert.True(doubled.Count == 0, "notified more than once: " + string.Join(", ", doubled));
                Assert.NotEmpty(told);
                recipients ??= countersBefore.Count >= 2 ? [.. told] : null;
                if (recipients is not null)
                {
                    Assert.Equal(recipients.Order(), told.Order());
                }

                // The counters count each event once: a retried handling must not add again, a crash must not lose the add.
                var after = await counters.ReadAsync(month, CancellationToken.None);
                var adds = Difference(countersBefore[entryId], after);
                oneEventAdds ??= countersBefore.Count >= 2 ? adds : null;
                if (oneEventAdds is not null)
                {
                    Assert.Equal(oneEventAdds.OrderBy(pair => pair.Key), adds.OrderBy(pair => pair.Key));
                }

                Assert.False((await outbox.GetEntityIfExistsAsync<TableEntity>(EntryOutbox.Partition, entryId)).HasValue, "the announcement is still pending");
                await AuditChain.AssertVerifiesAsync(api.Host);
            });

        using var loop = new CrashLoop(output, faults, api.Host.Prefix);
        var steps = await loop.RunAsync(scenario, calibrated => CrashLoop.AllPoints(calibrated.Count));

        // The case has three agencies' staff and the coordinators: several inbox inserts, each a step of its own.
        Assert.True(recipients!.Count >= 3, $"only {recipients.Count} recipients");
        Assert.Contains(steps, step => step.Contains(NotificationInbox.TableName, StringComparison.Ordinal));
    }

    private static async Task<int> TimelineRowsAsync(Serverless.Storage.StorageClients clients, Serverless.Storage.StorageNames names, string caseId, string entryId)
    {
        var table = clients.Tables.GetTableClient(names.Table(CaseStore.TableName));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {EntryEntity.TimelinePrefix} and RowKey lt {"u"}");
        var count = 0;
        await foreach (var row in table.QueryAsync<EntryEntity>(filter))
        {
            count += EntryRows.From(row).EntryId == entryId ? 1 : 0;
        }

        return count;
    }

    private static Dictionary<string, long> Difference(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
        => after.Select(pair => (pair.Key, Value: pair.Value - before.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Value != 0)
            .ToDictionary(pair => pair.Key, pair => pair.Value);
}
