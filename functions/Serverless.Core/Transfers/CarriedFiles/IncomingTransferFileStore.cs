using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Storage;
using Serverless.Transfers.Incoming;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>
/// Table <c>IncomingTransferFiles</c> and container <c>transfers-incoming-files</c>: the carried files received, the bytes
/// first (blob <c>{sender}/{packageMessageId}/{fileId}</c>: ids only, no-overwrite), then the row (insert-only); and each
/// accepted package's file-to-entry map.
/// </summary>
public sealed class IncomingTransferFileStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "IncomingTransferFiles";
    public const string Container = "transfers-incoming-files";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    private BlobContainerClient Blobs => clients.Blobs.GetBlobContainerClient(names.Container(Container));

    public static string BlobName(string senderCode, string packageMessageId, string fileId) => $"{senderCode}/{packageMessageId}/{fileId}";

    public Task<IncomingTransferFileEntity?> GetAsync(string senderCode, string packageMessageId, string fileId, CancellationToken cancellationToken)
        => Table.GetRowOrNullAsync<IncomingTransferFileEntity>(senderCode, IncomingTransferFileEntity.Row(packageMessageId, fileId), cancellationToken: cancellationToken);

    /// <summary>Every file received for one package (a range of one partition).</summary>
    public async Task<IReadOnlyList<IncomingTransferFileEntity>> OfPackageAsync(string senderCode, string packageMessageId, CancellationToken cancellationToken)
    {
        var prefix = IncomingTransferFileEntity.Row(packageMessageId, "");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {senderCode} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        var rows = new List<IncomingTransferFileEntity>();
        await foreach (var row in Table.QueryAsync<IncomingTransferFileEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Stores the bytes; true when stored now or stored before byte for byte, false when other bytes hold the name.</summary>
    public async Task<bool> StoreBlobAsync(string senderCode, string packageMessageId, string fileId, byte[] content, string sha256, CancellationToken cancellationToken)
    {
        var blob = Blobs.GetBlobClient(BlobName(senderCode, packageMessageId, fileId));
        try
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" }, Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
            return Convert.ToHexStringLower(SHA256.HashData(existing)) == sha256;
        }
    }

    /// <summary>The stored bytes, streamed (null when the blob is missing).</summary>
    public async Task<Stream?> OpenAsync(IncomingTransferFileEntity row, CancellationToken cancellationToken)
    {
        try
        {
            return (await Blobs.GetBlobClient(BlobName(row.PartitionKey, row.PackageMessageId, row.FileId)).DownloadStreamingAsync(cancellationToken: cancellationToken)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Inserts the row; false when it exists.</summary>
    public async Task<bool> InsertAsync(IncomingTransferFileEntity row, CancellationToken cancellationToken)
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

    /// <summary>Saves the row at the ETag it was read with; false when it changed meanwhile.</summary>
    public async Task<bool> UpdateAsync(IncomingTransferFileEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    public Task<AcceptedTransferFilesEntity?> AcceptedAsync(string senderCode, string packageMessageId, CancellationToken cancellationToken)
        => Table.GetRowOrNullAsync<AcceptedTransferFilesEntity>(senderCode, AcceptedTransferFilesEntity.Row(packageMessageId), cancellationToken: cancellationToken);

    /// <summary>Writes the accepted package's map (a retried acceptance writes the same again).</summary>
    public async Task SaveAcceptedAsync(AcceptedTransferFilesEntity row, CancellationToken cancellationToken)
        => await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);

    /// <summary>The package's sealed bytes as the intake stored them (<c>transfers-incoming/{messageId}</c>), or null.</summary>
    public async Task<byte[]?> ReadPackageAsync(string packageMessageId, CancellationToken cancellationToken)
    {
        try
        {
            var blob = clients.Blobs.GetBlobContainerClient(names.Container(IncomingTransferStore.Container)).GetBlobClient(packageMessageId);
            return (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
