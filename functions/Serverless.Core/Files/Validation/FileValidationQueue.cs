using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Files.Storage;
using Serverless.Files.Upload;
using Serverless.Queues;
using Serverless.Storage;

namespace Serverless.Files.Validation;

/// <summary>"Validate this file": ids only.</summary>
public sealed record FileValidationMessage(int SchemaVersion, string CaseId, string FileId) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>
/// Validation of a quarantined file, from the <c>file-validation</c> queue, on the whole file: type from content,
/// photos cleaned, both digests; then the file is promoted into the case's files (and the row says ready) or refused
/// (the row keeps the reason for its uploader), and the quarantined copy is deleted. Idempotent: a file no longer
/// quarantined is left alone, and a promotion repeated writes the same bytes again. A failure throws, so the host
/// retries and then dead-letters the message; the sweep re-queues a file whose message was lost.
/// </summary>
public sealed class FileValidationQueue(WorkQueue queue, CaseFiles files, StorageClients clients, StorageNames names, FileValidator validator, FileStoreSteps steps, TimeProvider clock, ILogger<FileValidationQueue> logger)
{
    public const string Queue = "file-validation";

    /// <summary>Queues validation of a file now quarantined. Never fails the request: the file is stored, and the sweep
    /// re-queues it if this message is lost.</summary>
    public async Task SendAsync(StoredFile file)
    {
        try
        {
            await queue.SendAsync(Queue, new FileValidationMessage(FileValidationMessage.CurrentSchemaVersion, file.CaseId, file.FileId), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "File {FileId} of case {CaseId} is in quarantine, but its validation could not be queued; the sweep will queue it", file.FileId, file.CaseId);
        }
    }

    public async Task HandleAsync(string messageText, CancellationToken cancellationToken)
    {
        var message = QueueMessageJson.Read<FileValidationMessage>(messageText, FileValidationMessage.CurrentSchemaVersion);
        if (!CaseIds.IsValid(message.CaseId) || !FileIds.IsValid(message.FileId))
        {
            throw new UnreadableMessageException("A file validation message carries a case id and a file id.");
        }

        await ValidateAsync(message.CaseId, message.FileId, cancellationToken);
    }

    /// <summary>Validates one file if it is still quarantined. Returns its state afterwards (null: no such file).</summary>
    public async Task<FileState?> ValidateAsync(string caseId, string fileId, CancellationToken cancellationToken)
    {
        var file = await files.GetAsync(caseId, fileId, cancellationToken);
        var quarantined = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Quarantine)).GetBlobClient(FileBlobs.Name(caseId, fileId));
        if (file is { State: FileState.Ready or FileState.Rejected })
        {
            // Decided by an earlier delivery, which may have died before it deleted the quarantined copy: nothing else
            // would ever delete it (the crash loop found it left behind).
            await quarantined.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            return file.State;
        }

        if (file is null || file.State != FileState.Quarantined)
        {
            return file?.State; // erased, swept, or still receiving
        }

        FileValidation validation;
        var thumbnail = false;
        try
        {
            var download = await quarantined.DownloadStreamingAsync(cancellationToken: cancellationToken);
            await using var content = download.Value.Content;
            if (file.Route == UploadRoute.Direct && download.Value.Details.ContentLength != file.ReceivedLength)
            {
                // Rewritten with its upload address after it was completed (the address works until it expires): not
                // the file that was checked at completion. Refused rather than validated in its place.
                validation = new FileValidation.Rejected(new FileRejection(FileRejections.Damaged), null);
            }
            else
            {
                validation = await validator.ValidateAsync(
                    content,
                    file.Route,
                    download.Value.Details.ContentLength,
                    async (stored, type, token) => thumbnail = await steps.StoreAsync(caseId, fileId, stored, type, token),
                    cancellationToken);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            // Quarantined with no bytes: the blob was deleted behind the app's back. Refused rather than retried forever.
            // Only BlobNotFound means that: any other 404 (a container missing, of the quarantine or of the files the copy
            // is stored into) throws, so the message is retried and dead-lettered, and the quarantined copy is kept.
            validation = new FileValidation.Rejected(new FileRejection(FileRejections.Damaged), null);
        }

        var now = clock.GetUtcNow();
        var decided = validation switch
        {
            FileValidation.Accepted accepted => file with { State = FileState.Ready, Validated = new FileValidated(accepted.Type, accepted.Received, accepted.Stored, accepted.Removed, thumbnail, now) },
            FileValidation.Rejected rejected => file with { State = FileState.Rejected, Rejection = rejected.Rejection, RejectedAt = now },
            _ => throw new InvalidOperationException("Unknown validation outcome."),
        };
        if (await files.ReplaceAsync(decided, cancellationToken) is null)
        {
            var current = await files.GetAsync(caseId, fileId, cancellationToken);
            if (current is null)
            {
                // The row went (the case was erased meanwhile): what was just promoted must not outlive it.
                await steps.DeleteStoredAsync(caseId, fileId, cancellationToken);
                logger.LogWarning("File {FileId} of case {CaseId} went while it was validated", fileId, caseId);
                return null;
            }

            if (current.State != FileState.Quarantined)
            {
                // Decided: by this run (the storage client's retry of its replace, the first answer lost, met 412 on its own
                // write) or by a second copy of the message. Either way the quarantined copy has served its purpose.
                await quarantined.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            }

            logger.LogWarning("File {FileId} of case {CaseId} changed while it was validated; left as it is now", fileId, caseId);
            return current.State;
        }

        await quarantined.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        if (validation is FileValidation.Rejected refused)
        {
            logger.LogInformation("File {FileId} of case {CaseId} rejected: {Reason}", fileId, caseId, refused.Rejection.Reason);
        }
        else
        {
            logger.LogInformation("File {FileId} of case {CaseId} validated and stored", fileId, caseId);
        }

        return decided.State;
    }
}
