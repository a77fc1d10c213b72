using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Serverless.Storage;

namespace Serverless.Audit;

/// <summary>The audit trail's storage: three tables and the WORM seal container, by their real (prefixed) names.</summary>
public sealed class AuditTables(StorageClients clients, StorageNames names)
{
    public const string LogTable = "AuditLog";
    public const string ByCaseTable = "AuditByCase";
    public const string SealTable = "AuditSeals";

    /// <summary>Infra creates a container of exactly this name with version-level immutability (WORM).</summary>
    public const string SealContainer = "audit-seals";

    public TableClient Log => clients.Tables.GetTableClient(names.Table(LogTable));

    public TableClient ByCase => clients.Tables.GetTableClient(names.Table(ByCaseTable));

    public TableClient Seals => clients.Tables.GetTableClient(names.Table(SealTable));

    public BlobContainerClient SealBlobs => clients.Blobs.GetBlobContainerClient(names.Container(SealContainer));

    public static string SealBlobName(long number) => $"seals/{number:D12}.json";

    /// <summary>The seal number a name under <c>seals/</c> spells (<c>seals/N.json</c>), or null for any other name.</summary>
    public static long? SealNumberOf(string blobName)
        => blobName.StartsWith("seals/", StringComparison.Ordinal)
            && blobName.EndsWith(".json", StringComparison.Ordinal)
            && blobName.Length > "seals/".Length + ".json".Length
            && long.TryParse(blobName.AsSpan("seals/".Length, blobName.Length - "seals/".Length - ".json".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? number
                : null;

    /// <summary>
    /// The entries after <paramref name="afterEntryId"/> (all, when null) up to and including
    /// <paramref name="throughEntryId"/>, or up to ids below <paramref name="beforeKey"/>, in id order.
    /// One query over the day partitions in between: ids sort as their days do, so partition order is id order.
    /// </summary>
    public IAsyncEnumerable<TableEntity> ReadEntriesAsync(string? afterEntryId, string? throughEntryId, string? beforeKey, int? maxPerPage, CancellationToken cancellationToken)
        => Log.QueryAsync<TableEntity>(EntryRangeFilter(afterEntryId, throughEntryId, beforeKey), maxPerPage, cancellationToken: cancellationToken);

    /// <param name="afterEntryId">Exclusive lower bound (null: from the first entry).</param>
    /// <param name="throughEntryId">Inclusive upper bound.</param>
    /// <param name="beforeKey">Exclusive upper bound (an id or an <see cref="AuditEntryIds.TicksKey"/>).</param>
    /// <param name="fromInclusive">Makes <paramref name="afterEntryId"/> inclusive.</param>
    public static string EntryRangeFilter(string? afterEntryId, string? throughEntryId, string? beforeKey, bool fromInclusive = false)
    {
        var parts = new List<string>();
        if (afterEntryId is not null)
        {
            var day = AuditEntryIds.DayOf(afterEntryId) ?? "";
            parts.Add(fromInclusive
                ? TableClient.CreateQueryFilter($"PartitionKey ge {day} and RowKey ge {afterEntryId}")
                : TableClient.CreateQueryFilter($"PartitionKey ge {day} and RowKey gt {afterEntryId}"));
        }

        if (throughEntryId is not null)
        {
            var day = AuditEntryIds.DayOf(throughEntryId) ?? "99999999";
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey le {day} and RowKey le {throughEntryId}"));
        }

        if (beforeKey is not null)
        {
            var day = AuditEntryIds.DayOf(beforeKey) ?? "99999999";
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey le {day} and RowKey lt {beforeKey}"));
        }

        return parts.Count == 0 ? TableClient.CreateQueryFilter($"PartitionKey ge {""}") : string.Join(" and ", parts);
    }
}
