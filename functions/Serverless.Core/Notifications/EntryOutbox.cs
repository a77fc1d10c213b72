using Azure;
using Azure.Data.Tables;
using Serverless.Entries;
using Serverless.Storage;

namespace Serverless.Notifications;

/// <summary>An entry announced for fan-out: written before the entry, removed once its fan-out is done.</summary>
public sealed record PendingEntry(string CaseId, string EntryId, EntryType Type, DateTimeOffset ReceivedAt, DateTimeOffset AnnouncedAt);

/// <summary>
/// The entries whose notifications are not yet all delivered: one pointer per entry in partition <c>pending</c>,
/// written <em>before</em> the entry is stored and deleted when its fan-out is done. So an entry whose event was never
/// queued (the send failed after the entry was stored), or whose fan-out crashed until its message became a dead
/// letter, is still found: the catch-up timer finishes it. A pointer whose entry was never stored (the write failed,
/// another attempt with the same Idempotency-Key won) is dropped after <see cref="OrphanAge"/>. Ids and times only.
/// </summary>
public sealed class EntryOutbox(StorageClients clients, StorageNames names)
{
    public const string TableName = "EntryOutbox";
    public const string Partition = "pending";

    /// <summary>How long a pointer may wait for its entry before it is taken for one that was never stored.</summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(10);

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>Writes the pointer (again is harmless: a retry announcing the same entry).</summary>
    public async Task AnnounceAsync(StoredEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition, entry.EntryId)
        {
            ["SchemaVersion"] = 1,
            ["CaseId"] = entry.CaseId,
            ["Type"] = EntryRows.Name(entry.Type),
            ["ReceivedAt"] = entry.ReceivedAt,
            ["AnnouncedAt"] = now,
        };
        try
        {
            await Table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // announced already
        }
    }

    public async Task DoneAsync(string entryId, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(Partition, entryId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // done already (a redelivered message, or the timer)
        }
    }

    /// <summary>Pointers announced before <paramref name="before"/>, oldest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<PendingEntry>> PendingAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var found = new List<PendingEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and AnnouncedAt lt {before}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(new PendingEntry(
                row.GetString("CaseId"),
                row.RowKey,
                EntryRows.Parse<EntryType>(row.GetString("Type")),
                row.GetDateTimeOffset("ReceivedAt") ?? default,
                row.GetDateTimeOffset("AnnouncedAt") ?? default));
        }

        return [.. found.OrderBy(pending => pending.AnnouncedAt).Take(max)];
    }
}
