using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Serverless.Storage;

namespace Serverless.Transfers.Outgoing;

/// <summary>
/// Transfers sent: the sealed bytes in the blob container <c>transfers-outgoing</c> (name: the message id, an id only),
/// a row per transfer in <c>OutgoingTransfers</c> and the case's pointer to its current one. Every change passes the ETag.
/// </summary>
public sealed class OutgoingTransferStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "OutgoingTransfers";
    public const string Container = "transfers-outgoing";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    private BlobContainerClient Blobs => clients.Blobs.GetBlobContainerClient(names.Container(Container));

    public async Task WriteSealedAsync(string messageId, byte[] sealedBytes, CancellationToken cancellationToken)
        => await Blobs.GetBlobClient(messageId).UploadAsync(new BinaryData(sealedBytes), overwrite: false, cancellationToken);

    public async Task<byte[]?> ReadSealedAsync(string messageId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Blobs.GetBlobClient(messageId).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<OutgoingTransferEntity?> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<OutgoingTransferEntity>(OutgoingTransferEntity.Partition, messageId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>The case's current transfer (active or not), or null when it never had one.</summary>
    public async Task<OutgoingTransferEntity?> CurrentForCaseAsync(string caseId, CancellationToken cancellationToken)
    {
        var pointer = await PointerAsync(caseId, cancellationToken);
        return pointer is null ? null : await GetAsync(pointer.MessageId, cancellationToken);
    }

    public async Task InsertAsync(OutgoingTransferEntity row, CancellationToken cancellationToken)
        => await Table.AddEntityAsync(row, cancellationToken);

    /// <summary>
    /// Points the case at <paramref name="messageId"/>, only when it has no active transfer: insert-only for a case that
    /// never had one, else a replace at the ETag read (of two sends at once, one wins). False when refused.
    /// </summary>
    public async Task<bool> ClaimCaseAsync(string caseId, string messageId, CancellationToken cancellationToken)
    {
        var pointer = await PointerAsync(caseId, cancellationToken);
        try
        {
            if (pointer is null)
            {
                await Table.AddEntityAsync(new CaseTransferPointerEntity { RowKey = caseId, MessageId = messageId }, cancellationToken);
                return true;
            }

            if (await GetAsync(pointer.MessageId, cancellationToken) is { } current && OutgoingTransferStates.IsActive(current.State))
            {
                return false;
            }

            pointer.MessageId = messageId;
            await Table.UpdateEntityAsync(pointer, pointer.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Replaces the row at the ETag it was read with; false when someone else changed it first.</summary>
    public async Task<bool> UpdateAsync(OutgoingTransferEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Every transfer in <paramref name="state"/> (one query in the <c>transfer</c> partition).</summary>
    public IAsyncEnumerable<OutgoingTransferEntity> InStateAsync(string state, CancellationToken cancellationToken)
        => Table.QueryAsync<OutgoingTransferEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutgoingTransferEntity.Partition} and State eq {state}"), maxPerPage: 1000, cancellationToken: cancellationToken);

    /// <summary>Undoes a send that lost the case to another (nothing was queued): its row and blob go.</summary>
    public async Task DiscardAsync(string messageId, CancellationToken cancellationToken)
    {
        await Table.DeleteEntityAsync(OutgoingTransferEntity.Partition, messageId, ETag.All, cancellationToken);
        await Blobs.GetBlobClient(messageId).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    private async Task<CaseTransferPointerEntity?> PointerAsync(string caseId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<CaseTransferPointerEntity>(CaseTransferPointerEntity.Partition, caseId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }
}
