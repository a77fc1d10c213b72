using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Storage;

namespace Serverless.Transfers.Incoming;

/// <summary>
/// Table <c>IncomingTransfers</c> and container <c>transfers-incoming</c>. The blob is written first, under the
/// message id alone (no-overwrite), then the row (insert-only): a row always has its blob; a blob without a row is a
/// receipt that crashed half-way, which the same bytes sent again complete.
/// </summary>
public sealed class IncomingTransferStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "IncomingTransfers";
    public const string Container = "transfers-incoming";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    private BlobContainerClient Blobs => clients.Blobs.GetBlobContainerClient(names.Container(Container));

    /// <summary>The replay guard: "absent" lets a message in, so a missing table throws rather than reading as absent.</summary>
    public async Task<bool> ExistsAsync(string senderCode, string messageId, CancellationToken cancellationToken)
        => await Table.GetRowOrNullAsync<IncomingTransferEntity>(senderCode, messageId, select: [nameof(IncomingTransferEntity.RowKey)], cancellationToken: cancellationToken) is not null;

    /// <summary>
    /// Stores the sealed bytes under <paramref name="messageId"/>. True when they are stored now or were stored before
    /// byte for byte (a crashed attempt); false when other bytes hold that name (the caller refuses).
    /// </summary>
    public async Task<bool> StoreBlobAsync(string messageId, byte[] sealedBytes, string sha256, CancellationToken cancellationToken)
    {
        var blob = Blobs.GetBlobClient(messageId);
        try
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(sealedBytes),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(existing)) == sha256;
        }
    }

    /// <summary>Inserts the row; false when a row for this sender and message id exists (a replay, or one racing the first).</summary>
    public async Task<bool> InsertAsync(IncomingTransferEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The row of one received message, with its ETag; null when there is none.</summary>
    public Task<IncomingTransferEntity?> GetAsync(string senderCode, string messageId, CancellationToken cancellationToken)
        => Table.GetRowOrNullAsync<IncomingTransferEntity>(senderCode, messageId, cancellationToken: cancellationToken);

    /// <summary>Replaces the row at its ETag; false when it changed since it was read (another request won).</summary>
    public async Task<bool> ReplaceAsync(IncomingTransferEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>The sealed bytes as received; null when the blob is gone.</summary>
    public async Task<byte[]?> ReadBlobAsync(string messageId, CancellationToken cancellationToken)
    {
        try
        {
            return (await Blobs.GetBlobClient(messageId).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>One page of every received message (all senders: a cross-partition query, ordered by sender code then
    /// message id; councils receive few transfers).</summary>
    public async Task<(IReadOnlyList<IncomingTransferEntity> Rows, string? ContinuationToken)> PageAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        await foreach (var page in Table.QueryAsync<IncomingTransferEntity>(filter: (string?)null, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }
}
