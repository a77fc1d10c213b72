using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Files.Storage;
using Serverless.Files.Upload;
using Serverless.Storage;

namespace Serverless.Files.Validation;

/// <summary>
/// Writes an accepted file into the case's files container (and, for a photo, its thumbnail), and deletes them again.
/// Blobs carry no metadata, no tags and a neutral content type: what a download is served as comes from the row.
/// </summary>
public sealed class FileStoreSteps(StorageClients clients, StorageNames names, Thumbnails.ThumbnailMaker thumbnails, ILogger<FileStoreSteps> logger)
{
    private const string NeutralType = "application/octet-stream";

    /// <summary>Stores the validated copy (<paramref name="stored"/>: seekable, at its start) and, for a photo, its
    /// thumbnail. Returns whether a thumbnail was stored beside it.</summary>
    public async Task<bool> StoreAsync(string caseId, string fileId, Stream stored, FileType type, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Files));
        await container.GetBlobClient(FileBlobs.Name(caseId, fileId)).UploadAsync(
            stored,
            new BlobUploadOptions { TransferOptions = FileUploads.Transfer, HttpHeaders = Neutral() },
            cancellationToken);
        if (!type.IsPhoto)
        {
            return false;
        }

        // A thumbnail is at most 320 × 320 pixels of JPEG: tens of kilobytes, so it is held in memory.
        stored.Position = 0;
        using var thumbnail = new MemoryStream();
        var made = await thumbnails.MakeAsync(stored, type, thumbnail, cancellationToken);
        if (made is Thumbnails.ThumbnailResult.NotMade notMade)
        {
            logger.LogInformation("File {FileId} of case {CaseId} has no thumbnail: {Reason}", fileId, caseId, notMade.Reason);
            return false;
        }

        thumbnail.Position = 0;
        await container.GetBlobClient(FileBlobs.ThumbnailName(caseId, fileId)).UploadAsync(thumbnail, new BlobUploadOptions { HttpHeaders = Neutral() }, cancellationToken);
        return true;
    }

    private static BlobHttpHeaders Neutral() => new() { ContentType = NeutralType };

    /// <summary>Deletes a file's stored copy and thumbnail, if any. Idempotent.</summary>
    public async Task DeleteStoredAsync(string caseId, string fileId, CancellationToken cancellationToken)
    {
        var container = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Files));
        await container.GetBlobClient(FileBlobs.Name(caseId, fileId)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        await container.GetBlobClient(FileBlobs.ThumbnailName(caseId, fileId)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
    }
}
