using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Files.Reading;
using Serverless.Files.Storage;
using Serverless.Files.Validation;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Storage;

namespace Serverless.Files.Upload;

/// <summary>A file received: what a person sees of it, or the receipt an agency form's key gets.</summary>
public sealed record FileAccepted(string FileId, FileView? View, FileReceipt Receipt);

/// <summary>
/// Receives a file through the app's own function (the default path: a municipality's proxy may block the storage
/// endpoints): by whoever may add an entry to the case, a form's key included. Streamed into quarantine, never held
/// whole in memory: the file's row (and its pending pointer) first, then the bytes, then the row says quarantined
/// and validation is queued (ids only). A file over the limit is refused as soon as it crosses it, and nothing of it
/// stays.
/// </summary>
public sealed class FileUploads(CaseGate gate, CaseFiles files, StorageClients clients, StorageNames names, FileValidator validator, FileValidationQueue validation, TimeProvider clock, ILogger<FileUploads> logger)
{
    /// <summary>Blocks of 4 MiB, two in flight: at most 8 MiB of a file in memory at once, and a 25 MB file in 7 blocks.</summary>
    public static readonly StorageTransferOptions Transfer = new() { InitialTransferSize = 4 * 1024 * 1024, MaximumTransferSize = 4 * 1024 * 1024, MaximumConcurrency = 2 };

    /// <param name="openBody">Reads the body's framing; called only once the case is known reachable.</param>
    public async Task<CaseOutcome<FileAccepted>> ReceiveAsync(Caller caller, string caseId, Func<Task<UploadBody>> openBody, ProblemLanguage language, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.AddEntry, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done)
        {
            return gated.As<FileAccepted>();
        }

        var limit = validator.LimitOf(UploadRoute.FunctionPath);
        var opened = await openBody();
        if (opened is UploadBody.DeclaredTooLarge)
        {
            return TooLarge(limit);
        }

        if (opened is not UploadBody.Readable body)
        {
            return new CaseOutcome<FileAccepted>.Unreadable();
        }

        if (body.DeclaredLength > limit)
        {
            return TooLarge(limit);
        }

        if (body.DeclaredLength == 0)
        {
            return Rejected(new FileRejection(FileRejections.Empty));
        }

        if (FileNames.Sanitise(body.Name) is not SanitisedFileName.Valid { Name: var name })
        {
            return Rejected(new FileRejection(FileRejections.NameEmpty));
        }

        var file = await files.AddAsync(
            new StoredFile(caseId, FileIds.New(), FileState.Receiving, UploadRoute.FunctionPath, clock.GetUtcNow(), Uploader(caller), name, body.DeclaredLength),
            cancellationToken);
        var blob = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Quarantine)).GetBlobClient(FileBlobs.Name(caseId, file.FileId));
        var counted = new LengthLimitedStream(body.Content, limit);
        try
        {
            await blob.UploadAsync(counted, new BlobUploadOptions { TransferOptions = Transfer }, cancellationToken);
        }
        catch (Exception ex) when (ex is FileTooLargeException || ex.InnerException is FileTooLargeException)
        {
            await DiscardAsync(file, blob);
            logger.LogInformation("File {FileId} for case {CaseId} refused: more than {Limit} bytes", file.FileId, caseId, limit);
            return TooLarge(limit);
        }
        catch (Exception)
        {
            // The sender left, or storage failed: nothing half-received is kept (the sweep finds what this misses).
            await DiscardAsync(file, blob);
            throw;
        }

        if (counted.BytesRead == 0)
        {
            await DiscardAsync(file, blob);
            return Rejected(new FileRejection(FileRejections.Empty));
        }

        // Only this request moves its new file out of Receiving: a row already quarantined with these bytes is its own
        // replace, met again by the storage client's retry.
        var quarantined = await files.ReplaceAsync(
                file with { State = FileState.Quarantined, ReceivedLength = counted.BytesRead },
                current => current.State == FileState.Quarantined && current.ReceivedLength == counted.BytesRead,
                cancellationToken)
            ?? throw new InvalidOperationException($"File {file.FileId} of case {caseId} changed while it was being received.");
        logger.LogInformation("File {FileId} received for case {CaseId} by {CallerId}: {Bytes} bytes in quarantine", file.FileId, caseId, caller.Id, counted.BytesRead);
        caller.Audit.TouchedEntries([file.FileId]);
        await validation.SendAsync(quarantined);
        return new CaseOutcome<FileAccepted>.Done(Accepted(caller, quarantined, language));
    }

    public static FileAccepted Accepted(Caller caller, StoredFile file, ProblemLanguage language)
        => new(file.FileId, caller.Kind == CallerKind.SubmissionKey ? null : FileVisibility.View(caller, file, language), FileVisibility.Receipt(file, language));

    public static FileUploader Uploader(Caller caller)
        => new(caller.Kind == CallerKind.SubmissionKey ? EntryAuthor.Key : EntryAuthor.Person, caller.Id, caller.AgencyId);

    private async Task DiscardAsync(StoredFile file, Azure.Storage.Blobs.BlobClient blob)
    {
        try
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            await files.DeleteAsync(file, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "File {FileId} of case {CaseId} could not be discarded; the sweep will delete it", file.FileId, file.CaseId);
        }
    }

    private static CaseOutcome<FileAccepted> TooLarge(long limit)
    {
        var rejection = new FileRejection(FileRejections.TooLarge, new Dictionary<string, string> { ["limitMegabytes"] = (limit / FilesOptions.Megabyte).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new CaseOutcome<FileAccepted>.Refused(ProblemCatalogue.FileTooLarge, rejection.Reason, rejection.Arguments);
    }

    private static CaseOutcome<FileAccepted> Rejected(FileRejection rejection)
        => new CaseOutcome<FileAccepted>.Refused(ProblemCatalogue.FileRejected, rejection.Reason, rejection.Arguments);
}
