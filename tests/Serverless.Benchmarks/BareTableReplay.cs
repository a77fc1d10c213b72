using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Serverless.Benchmarks;

/// <summary>
/// Repeats a list of storage operations, as the counting policy labels them (<c>table GET Cases(key)</c>,
/// <c>table PUT CaseIndex(key)</c>, <c>table POST $batch</c>…), with a bare <see cref="TableServiceClient"/>
/// on the same tables: the floor an endpoint's storage work cannot go below. A queue send (<c>queue POST
/// name/messages</c>, e.g. a create announcing its first entry) goes to a queue of the replay's own beside it,
/// so no function picks it up; it needs <paramref name="queues"/>.
/// </summary>
public sealed partial class BareTableReplay(TableServiceClient tables, string recordJson, QueueServiceClient? queues = null)
{
    /// <summary>An id-only message of the size the app queues (ids, never personal data).</summary>
    private static readonly string QueueMessage = "{\"caseId\":\"" + Guid.NewGuid().ToString("N") + "\",\"entryId\":\"" + Guid.NewGuid().ToString("N") + "\"}";

    private readonly Dictionary<string, Task<QueueClient>> bareQueues = [];

    /// <summary>Reads side by side, then writes side by side: the shape the app's create has.</summary>
    public async Task RunAsync(IReadOnlyDictionary<string, long> operations)
    {
        var labels = operations.SelectMany(pair => Enumerable.Repeat(pair.Key, (int)pair.Value)).ToList();
        await Task.WhenAll(labels.Where(label => label.StartsWith("table GET", StringComparison.Ordinal)).Select(RunOneAsync));
        await Task.WhenAll(labels.Where(label => !label.StartsWith("table GET", StringComparison.Ordinal)).Select(RunOneAsync));
    }

    /// <summary>
    /// The same operations in the order an audited request must do them: the caller's memberships, then the
    /// audit intent with <paramref name="besideIntent"/> (the request's case, read while the intent is written)
    /// side by side, then the rest of the work (reads side by side, then writes side by side), then the outcome.
    /// Each step waits for the one before, as in the app.
    /// </summary>
    public async Task RunAuditedAsync(IReadOnlyDictionary<string, long> operations, Func<Task>? work = null, Func<Task>? besideIntent = null)
    {
        var signIn = operations.Keys.Single(label => label.EndsWith("People()", StringComparison.Ordinal));
        var auditLog = operations.Keys.Single(label => label.EndsWith("AuditLog", StringComparison.Ordinal));
        var rest = operations.Where(pair => pair.Key != signIn && pair.Key != auditLog).ToDictionary(pair => pair.Key, pair => pair.Value);

        await RunOneAsync(signIn);
        await Task.WhenAll(RunOneAsync(auditLog), besideIntent is null ? Task.CompletedTask : besideIntent());
        await RunAsync(rest);
        if (work is not null)
        {
            await work();
        }

        await RunOneAsync(auditLog);
    }

    /// <summary>A new entry's batch: a timeline head and a first version, each with the text (in a partition of its
    /// own, so the app never reads these rows as entries of a case).</summary>
    public async Task EntryBatchAsync(string casesTable, string text)
    {
        var (partition, id) = ("bare-" + Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        await tables.GetTableClient(casesTable).SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "t" + id) { ["Text"] = text, ["Details"] = "{}" }),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "e" + id) { ["Text"] = text, ["Details"] = "{}" }),
        ]);
    }

    /// <summary>A timeline page by hand: one range query over the case partition's timeline rows.</summary>
    public async Task TimelinePageAsync(string casesTable, string caseId, int pageSize)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {"t"} and RowKey lt {"u"}");
        await foreach (var page in tables.GetTableClient(casesTable).QueryAsync<TableEntity>(filter, pageSize).AsPages(pageSizeHint: pageSize))
        {
            break;
        }
    }

    /// <summary>A list page done by hand: one partition query of <paramref name="pageSize"/> pointers, then their cases read side by side.</summary>
    public async Task ListPageAsync(string indexTable, string casesTable, string partition, int pageSize)
    {
        var index = tables.GetTableClient(indexTable);
        var cases = tables.GetTableClient(casesTable);
        await foreach (var page in index.QueryAsync<TableEntity>(entity => entity.PartitionKey == partition, maxPerPage: pageSize).AsPages(pageSizeHint: pageSize))
        {
            await Task.WhenAll(page.Values.Select(row => cases.GetEntityAsync<TableEntity>(row.GetString("CaseId"), "current")));
            break;
        }
    }

    /// <summary>A whole partition by hand: one query, read to its end.</summary>
    public async Task PartitionAsync(string table, string partition)
    {
        await foreach (var _ in tables.GetTableClient(table).QueryAsync<TableEntity>(entity => entity.PartitionKey == partition))
        {
        }
    }

    /// <summary>One operation of the shape <paramref name="label"/> names, on a fresh partition.</summary>
    public async Task RunOneAsync(string label)
    {
        if (QueueLabel().Match(label) is { Success: true } send)
        {
            var queue = await BareQueueAsync(send.Groups["queue"].Value);
            await queue.SendMessageAsync(QueueMessage);
            return;
        }

        var match = Label().Match(label);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Cannot replay '{label}'.");
        }

        var (method, table, shape) = (match.Groups["method"].Value, match.Groups["table"].Value, match.Groups["shape"].Value);
        var client = tables.GetTableClient(table);
        var partition = "bare-" + Guid.NewGuid().ToString("N");
        switch (method, shape)
        {
            case ("GET", "()"):
                await foreach (var page in client.QueryAsync<TableEntity>(entity => entity.PartitionKey == partition, maxPerPage: 50).AsPages())
                {
                    break;
                }

                break;
            case ("GET", "(key)"):
                await client.GetEntityIfExistsAsync<TableEntity>(partition, "current");
                break;
            case ("PUT", "(key)"):
                await client.UpsertEntityAsync(new TableEntity(partition, "row") { ["Value"] = "x" }, TableUpdateMode.Replace);
                break;
            case ("PATCH", "(key)"):
                // A merge, as the sign-in pin and the counters write.
                await client.UpsertEntityAsync(new TableEntity(partition, "row") { ["Value"] = "x" }, TableUpdateMode.Merge);
                break;
            case ("DELETE", "(key)"):
                try
                {
                    await client.DeleteEntityAsync(partition, "row", ETag.All);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // same cost as a delete that finds its row
                }

                break;
            case ("POST", "") when table == "$batch":
                throw new InvalidOperationException("Batches are replayed against the Cases table by the caller.");
            case ("POST", ""):
                // An insert, as the audit writes its entries.
                await client.AddEntityAsync(new TableEntity(partition, Guid.NewGuid().ToString("N")) { ["Value"] = "x" });
                break;
            default:
                throw new InvalidOperationException($"Cannot replay '{label}'.");
        }
    }

    /// <summary>A create's batch: the current row and the first version row, each with the record.</summary>
    public async Task BatchAsync(string casesTable)
    {
        var client = tables.GetTableClient(casesTable);
        var partition = "bare-" + Guid.NewGuid().ToString("N");
        await client.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "current") { ["Record0"] = recordJson }),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "v1") { ["Record0"] = recordJson }),
        ]);
    }

    /// <summary>Reads an existing row that holds the record, as a case read does.</summary>
    public async Task PointReadAsync(string casesTable, string partition)
        => await tables.GetTableClient(casesTable).GetEntityAsync<TableEntity>(partition, "current");

    /// <summary>The replay's own queue beside <paramref name="queue"/>, created once.</summary>
    private Task<QueueClient> BareQueueAsync(string queue)
    {
        var service = queues ?? throw new InvalidOperationException("A queue send is replayed only with a QueueServiceClient.");
        lock (bareQueues)
        {
            if (!bareQueues.TryGetValue(queue, out var created))
            {
                var name = queue.Length > 58 ? queue[..58] : queue;
                created = CreateAsync(service.GetQueueClient(name + "-bare"));
                bareQueues[queue] = created;
            }

            return created;
        }

        static async Task<QueueClient> CreateAsync(QueueClient client)
        {
            await client.CreateIfNotExistsAsync();
            return client;
        }
    }

    [GeneratedRegex(@"^queue POST (?<queue>[a-z0-9-]+)/messages$")]
    private static partial Regex QueueLabel();

    [GeneratedRegex(@"^table (?<method>[A-Z]+) (?<table>[^()]+)(?<shape>\(\)|\(key\))?$")]
    private static partial Regex Label();
}
