using Azure.Storage.Blobs.Models;
using Serverless.Files.Storage;
using Serverless.Files.Upload;
using Serverless.Storage;

namespace Serverless.Files.Validation;

/// <summary>
/// Writes an accepted file into the case's files container (and, for a photo, its thumbnail), and deletes them again.
/// Blobs carry no metadata, no tags and a neutral content type: what a download is served as comes from the row.
/// </summary>
public sealed class FileStoreSteps(StorageClients clients, StorageNames names)
{
    private const string Neutral = "application/octet-stream";

    /// <summary>Stores the validated copy. Returns whether a thumbnail was stored beside it.</summary>
    public async Task<bool> StoreAsync(string caseId, string fileId, Stream stored, FileType type, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Files));
        await container.GetBlobClient(FileBlobs.Name(caseId, fileId)).UploadAsync(
            stored,
            new BlobUploadOptions { TransferOptions = FileUploads.Transfer, HttpHeaders = new BlobHttpHeaders { ContentType = Neutral } },
            cancellationToken);
        return false;
    }

    /// <summary>Deletes a file's stored copy and thumbnail, if any. Idempotent.</summary>
    public async Task DeleteStoredAsync(string caseId, string fileId, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Files));
        await container.GetBlobClient(FileBlobs.Name(caseId, fileId)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        await container.GetBlobClient(FileBlobs.ThumbnailName(caseId, fileId)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
    }
}
