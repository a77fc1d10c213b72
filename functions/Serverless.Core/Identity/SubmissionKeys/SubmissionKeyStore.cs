using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>The <c>SubmissionKeys</c> table: one partition, rows keyed by key id.</summary>
public sealed class SubmissionKeyStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "SubmissionKeys";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>One point read.</summary>
    public async Task<SubmissionKeyEntity?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<SubmissionKeyEntity>(SubmissionKeyEntity.Partition, keyId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Inserts a new key; false when the key id is taken (never overwrites).</summary>
    public async Task<bool> TryAddAsync(SubmissionKeyEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces a key with the ETag it was read with; false when someone changed it first.</summary>
    public async Task<bool> TryReplaceAsync(SubmissionKeyEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>The agency's keys: one partition query, filtered at the table.</summary>
    public async Task<IReadOnlyList<SubmissionKeyEntity>> ListAsync(string agencyId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SubmissionKeyEntity.Partition} and AgencyId eq {agencyId}");
        var rows = new List<SubmissionKeyEntity>();
        await foreach (var row in Table.QueryAsync<SubmissionKeyEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }
}
