using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Stats;

/// <summary>
/// The council's counters, one partition per month (<c>month-yyyyMM</c>): a single head row holding every counter of
/// the month, and a marker row per event counted. An event is added in one batch of inserts: its marker, the head's next
/// version (the row key orders versions, newest first) and the deletion of the version it was read from. Two writers
/// from the same head cannot both insert the next version, and an event whose marker exists adds nothing (a redelivered
/// message), so the counts stay exact under concurrent writers and replays. A writer that read an old head fails on its
/// delete (that head is gone); one that read no head fails on inserting the month's first-head row again. No batch
/// relies on If-Match (Azurite ignores it there): the inserts and deletes decide. Reading a month is one query for its
/// head, however many events it counted.
/// </summary>
public sealed class MonthlyCounters(StorageClients clients, StorageNames names)
{
    public const string TableName = "Stats";

    /// <summary>Tries before an event gives up (the queue retries it later, and the marker keeps it from counting twice).</summary>
    public const int MaxAttempts = 60;

    private const string HeadPrefix = "h-";
    private const string MarkerPrefix = "e-";

    /// <summary>Inserted with a month's first head and never deleted, so a writer that read no head at all cannot start the
    /// month again after others moved it on (its insert of version 1 alone would succeed once version 1 is deleted).</summary>
    private const string FirstHeadRow = "g-first";

    internal TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public static string Partition(StatsMonth month) => "month-" + month.Key;

    /// <summary>Adds <paramref name="increments"/> to the month's counters once for <paramref name="eventId"/>; false when
    /// that event was counted already (nothing changes).</summary>
    public async Task<bool> AddAsync(StatsMonth month, string eventId, IReadOnlyDictionary<string, long> increments, CancellationToken cancellationToken)
    {
        var partition = Partition(month);
        for (var attempt = 1; ; attempt++)
        {
            var head = await HeadAsync(partition, cancellationToken);
            var counts = new Dictionary<string, long>(head?.Counts ?? new Dictionary<string, long>(), StringComparer.Ordinal);
            foreach (var (name, by) in increments)
            {
                counts[name] = counts.GetValueOrDefault(name) + by;
            }

            var next = (head?.Version ?? 0) + 1;
            var batch = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new TableEntity(partition, MarkerPrefix + eventId) { ["Version"] = next }),
                new(TableTransactionActionType.Add, new TableEntity(partition, HeadRow(next)) { ["Version"] = next, ["Counts"] = JsonSerializer.Serialize(counts) }),
            };
            batch.Add(head is not null
                ? new(TableTransactionActionType.Delete, new TableEntity(partition, HeadRow(head.Version)), ETag.All)
                : new(TableTransactionActionType.Add, new TableEntity(partition, FirstHeadRow)));

            try
            {
                await Table.SubmitTransactionAsync(batch, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 404 or 412)
            {
                var marker = await Table.GetEntityIfExistsAsync<TableEntity>(partition, MarkerPrefix + eventId, ["Version"], cancellationToken);
                if (marker.HasValue)
                {
                    return false;
                }

                if (attempt >= MaxAttempts)
                {
                    throw new InvalidOperationException($"The counters of {month.Key} stayed busy for {MaxAttempts} attempts.", ex);
                }

                await Task.Delay(Random.Shared.Next(5, 20 + (attempt * 5)), cancellationToken); // another writer won: read again
            }
        }
    }

    /// <summary>The month's counters (empty when nothing was counted): one query.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReadAsync(StatsMonth month, CancellationToken cancellationToken)
        => (await HeadAsync(Partition(month), cancellationToken))?.Counts ?? new Dictionary<string, long>();

    private async Task<Head?> HeadAsync(string partition, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {HeadPrefix} and RowKey lt {"h."}");
        await foreach (var page in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            if (page.Values.FirstOrDefault() is { } row)
            {
                var counts = JsonSerializer.Deserialize<Dictionary<string, long>>(row.GetString("Counts") ?? "{}") ?? [];
                return new Head(row.GetInt64("Version") ?? 0, counts);
            }

            if (page.ContinuationToken is null)
            {
                break;
            }
        }

        return null;
    }

    private static string HeadRow(long version) => HeadPrefix + (9_999_999_999L - version).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Head(long Version, IReadOnlyDictionary<string, long> Counts);
}
