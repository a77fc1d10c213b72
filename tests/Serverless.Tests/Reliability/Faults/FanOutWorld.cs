using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Serverless.DevHost;
using Serverless.Entries;
using Serverless.Notifications;
using Serverless.Stats;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>
/// A host behind <see cref="StorageFaults"/> with its queue listeners on, as in Azure: a failed message is visible again
/// at once (visibility timeout zero) and tried host.json's 5 times before it goes to its poison queue. The timers stay
/// on the fake clock, so the catch-up timer never finishes what a message left undone: the queue alone must.
/// A shared case is made and its own events handled before a test arms a fault. The checks here read Azurite directly.
/// </summary>
internal sealed class FanOutWorld : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private FanOutWorld(StorageFaults faults, CaseApi api, string caseId)
    {
        Faults = faults;
        Api = api;
        CaseId = caseId;
        Direct = TestStorage.Clients(api.Host.Prefix);
    }

    /// <summary>Who a teacher's all-participants report on the shared case reaches (InboxTests): the nursery's and the
    /// health centre's named staff and both coordinators (the case names none). Never its author.</summary>
    public static IReadOnlyList<string> ReportRecipients { get; } =
        [.. new[] { NurseryHead, Nurse, "coordinator-sato", "coordinator-mori" }.Select(DemoPeople.PersonId).Order(StringComparer.Ordinal)];

    public StorageFaults Faults { get; }

    public CaseApi Api { get; }

    public string CaseId { get; }

    public TestHost Host => Api.Host;

    private Serverless.Storage.StorageClients Direct { get; }

    public static async Task<FanOutWorld> StartAsync()
    {
        var faults = StorageFaults.Start();
        var api = await CaseApi.StartAsync(backgroundTriggers: true, settings: faults.HostSettings, hostSettings: settings =>
        {
            settings.VisibilityTimeout = TimeSpan.Zero;
            settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        var caseId = await api.SharedCaseAsync();
        var world = new FanOutWorld(faults, api, caseId);
        await world.WaitUntilHandledAsync(entryId: null); // the case's registration event: no fault may catch its writes
        return world;
    }

    public string Table(string name) => Host.Names.Table(name);

    public string QueueName(string name) => Host.Names.Queue(name);

    /// <summary>A <c>POST .../messages</c> to the queue (a send), not to its poison queue.</summary>
    public bool IsSendTo(ProxiedRequest request, string queue)
        => request.Method == "POST" && request.Path.EndsWith("/" + QueueName(queue) + "/messages", StringComparison.Ordinal);

    /// <summary>True for requests after the <paramref name="sendsBefore"/>th send to entry-events: the fan-out's writes, not
    /// the report request's own (its entry batch comes before its event is sent).</summary>
    public bool AfterEventSend(int sendsBefore)
        => Faults.Queue.Requests.Count(request => IsSendTo(request, EntryEvents.Queue)) > sendsBefore;

    public int EventSends => Faults.Queue.Requests.Count(request => IsSendTo(request, EntryEvents.Queue));

    /// <summary>Waits until the entry's announcement is gone (its fan-out ran to the end) and the entry-events queue is
    /// empty (every copy of its message deleted or poisoned). Null: every announcement.</summary>
    public async Task WaitUntilHandledAsync(string? entryId)
    {
        var work = new QueueClient(TestStorage.ConnectionString, QueueName(EntryEvents.Queue));
        await TestHost.WaitUntilAsync(
            async () => (await PendingAsync()).All(pending => entryId is not null && pending != entryId)
                && (await work.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            Timeout,
            $"the entry events are handled ({entryId ?? "all"})");
    }

    public async Task<int> PoisonedAsync(string queue)
    {
        var poison = new QueueClient(TestStorage.ConnectionString, Host.Names.PoisonQueue(queue));
        return (await poison.ExistsAsync()).Value ? (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    /// <summary>Entry ids still announced in the outbox.</summary>
    public async Task<List<string>> PendingAsync()
    {
        var rows = new List<string>();
        var table = Direct.Tables.GetTableClient(Table(EntryOutbox.TableName));
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {EntryOutbox.Partition}"), select: ["RowKey"]))
        {
            rows.Add(row.RowKey);
        }

        return rows;
    }

    /// <summary>The inbox rows about an entry, by recipient (partition), every copy counted.</summary>
    public async Task<Dictionary<string, int>> NotificationsAboutAsync(string entryId)
    {
        var table = Direct.Tables.GetTableClient(Table(NotificationInbox.TableName));
        var byRecipient = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<NotificationEntity>(TableClient.CreateQueryFilter($"EntryId eq {entryId}")))
        {
            byRecipient[row.PartitionKey] = byRecipient.GetValueOrDefault(row.PartitionKey) + 1;
        }

        return byRecipient;
    }

    /// <summary>The stored report's head (its received time fixes the activity and the month it is counted in).</summary>
    public async Task<StoredEntry> ReportAsync(string entryId)
    {
        var table = Direct.Tables.GetTableClient(Table(Serverless.Cases.Storage.CaseStore.TableName));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CaseId} and RowKey ge {EntryEntity.TimelinePrefix} and RowKey lt {"u"}");
        await foreach (var row in table.QueryAsync<EntryEntity>(filter))
        {
            var entry = EntryRows.From(row);
            if (entry.EntryId == entryId)
            {
                return entry;
            }
        }

        throw new InvalidOperationException($"Report {entryId} is not stored.");
    }

    /// <summary>The case's activity row: when it last saw a report (null: never).</summary>
    public async Task<DateTimeOffset?> LastReportAtAsync()
    {
        var table = Direct.Tables.GetTableClient(Table(Serverless.Cases.Storage.CaseStore.TableName));
        var row = await table.GetEntityIfExistsAsync<TableEntity>(CaseId, Serverless.Cases.Storage.CaseEntity.ActivityRow);
        return row.HasValue ? row.Value!.GetDateTimeOffset("LastReportAt") : null;
    }

    /// <summary>How many reports the month's counters hold.</summary>
    public async Task<long> ReportsCountedAsync(DateTimeOffset receivedAt)
    {
        var counters = new MonthlyCounters(Direct, TestStorage.Names(Host.Prefix));
        return (await counters.ReadAsync(StatsMonth.Of(receivedAt), CancellationToken.None)).GetValueOrDefault(StatsMeasures.Reports);
    }

    /// <summary>Log lines of the host's function runs that start with <paramref name="start"/> (e.g. "Executed 'Functions.EntryAdded' (Succeeded").</summary>
    /// <summary>The names of the blobs in one of the app's containers (none when it does not exist), read directly.</summary>
    public async Task<List<string>> BlobsAsync(string container)
    {
        var client = new BlobServiceClient(TestStorage.ConnectionString).GetBlobContainerClient(Host.Names.Container(container));
        var names = new List<string>();
        if (!(await client.ExistsAsync()).Value)
        {
            return names;
        }

        await foreach (var blob in client.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public int Count(string start) => Host.Logs.Entries.Count(entry => entry.Text.StartsWith(start, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Faults.DisposeAsync();
    }
}
