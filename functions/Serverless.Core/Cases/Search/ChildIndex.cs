using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.Search;

/// <summary>
/// The keyed-hash index behind "does this child already have a case?". Kept in step with cases like
/// the list index: new keys before the case changes, old keys after, so a crash leaves an extra key
/// (a candidate the coordinator rules out), never a missing one.
/// </summary>
public sealed class ChildIndex(StorageClients clients, StorageNames names, ChildKeys keys)
{
    public const string TableName = "ChildIndex";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task WriteAheadAsync(string caseId, CaseRecord? before, CaseRecord after, CancellationToken cancellationToken)
    {
        var existing = before is null ? new HashSet<ChildKey>() : keys.For(before);
        await Task.WhenAll(keys.For(after).Where(key => !existing.Contains(key)).Select(key => Table.UpsertEntityAsync(
            new ChildIndexEntity { PartitionKey = key.Hash, RowKey = caseId, Kind = key.Kind, BirthDateKey = key.BirthDateKey },
            TableUpdateMode.Replace,
            cancellationToken)));
    }

    public async Task RemoveStaleAsync(string caseId, CaseRecord before, CaseRecord after, CancellationToken cancellationToken)
    {
        var keep = keys.For(after).Select(key => key.Hash).ToHashSet(StringComparer.Ordinal);
        await Task.WhenAll(keys.For(before).Select(key => key.Hash).Where(hash => !keep.Contains(hash)).Distinct(StringComparer.Ordinal).Select(hash => DeleteAsync(hash, caseId, cancellationToken)));
    }

    private async Task DeleteAsync(string hash, string caseId, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(hash, caseId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // already gone
        }
    }

    /// <summary>The index rows under one hash: one partition query.</summary>
    public async Task<IReadOnlyList<ChildIndexEntity>> FindAsync(string hash, CancellationToken cancellationToken)
    {
        var rows = new List<ChildIndexEntity>();
        await foreach (var row in Table.QueryAsync<ChildIndexEntity>(entity => entity.PartitionKey == hash, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }
}
