using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Files.Reading;
using Serverless.Files.Storage;
using Serverless.Files.Sweep;
using Serverless.Files.Upload;
using Serverless.Files.Validation;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Files.Direct;

/// <summary>
/// The direct upload, for large files and slow uplinks: the caller declares the file (name, size) and gets an address
/// that lets it write exactly one quarantine blob, for minutes; it uploads in blocks straight to storage; it asks the
/// app to complete, which checks what was committed and queues validation as for a file sent through the function.
/// Started by whoever may add an entry to the case (a form's key included); listed, re-addressed and completed by its
/// uploader alone. A file never completed is deleted by <see cref="FileSweep"/> a day after the start.
/// </summary>
public sealed class DirectUploads(
    CaseGate gate,
    FileReader reader,
    CaseFiles files,
    UploadAddresses addresses,
    StorageClients clients,
    StorageNames names,
    FileValidator validator,
    FileValidationQueue validation,
    TimeProvider clock,
    ILogger<DirectUploads> logger)
{
    /// <summary>The block size a client is told to use: 4 MiB, the app's own transfer size (<see cref="FileUploads.Transfer"/>).</summary>
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>An upload may be resumed and completed this long after its start; then the sweep deletes it.</summary>
    public static TimeSpan UploadWindow => FileSweep.KeepUnattached;

    public async Task<CaseOutcome<DirectUploadAddress>> StartAsync(Caller caller, string caseId, DirectUploadRequest? request, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.AddEntry, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done)
        {
            return gated.As<DirectUploadAddress>();
        }

        if (request is null)
        {
            return new CaseOutcome<DirectUploadAddress>.Unreadable();
        }

        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.Name))
        {
            errors.Add("$.name", FieldRules.Required);
        }

        if (request.Size is null)
        {
            errors.Add("$.size", FieldRules.Required);
        }
        else if (request.Size < 0)
        {
            errors.Add("$.size", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = validator.LimitOf(UploadRoute.Direct).ToString(CultureInfo.InvariantCulture) });
        }

        if (errors.Any)
        {
            return new CaseOutcome<DirectUploadAddress>.Invalid(errors.All);
        }

        var size = request.Size!.Value;
        var limit = validator.LimitOf(UploadRoute.Direct);
        if (size > limit)
        {
            return TooLarge<DirectUploadAddress>(limit);
        }

        if (size == 0)
        {
            return Rejected<DirectUploadAddress>(new FileRejection(FileRejections.Empty));
        }

        var sanitised = FileNames.Sanitise(request.Name);
        if (sanitised is SanitisedFileName.Refused refusedName)
        {
            return Rejected<DirectUploadAddress>(refusedName.Rejection);
        }

        var name = ((SanitisedFileName.Valid)sanitised).Name;

        var fileId = FileIds.New();
        var now = clock.GetUtcNow();
        var address = await addresses.IssueAsync(Quarantined(caseId, fileId), now + UploadWindow, cancellationToken);
        if (address is null)
        {
            return new CaseOutcome<DirectUploadAddress>.Refused(ProblemCatalogue.DirectUploadUnavailable);
        }

        var file = await files.AddAsync(
            new StoredFile(caseId, fileId, FileState.Receiving, UploadRoute.Direct, now, FileUploads.Uploader(caller), name, size) { UploadExpiresAt = address.ExpiresAt },
            cancellationToken);
        logger.LogInformation("File {FileId} for case {CaseId}: direct upload of {Bytes} bytes started by {CallerId}, its address valid until {ExpiresAt}", file.FileId, caseId, size, caller.Id, address.ExpiresAt);
        caller.Audit.TouchedEntries([file.FileId]);
        return new CaseOutcome<DirectUploadAddress>.Done(View(file, address));
    }

    /// <summary>The blocks storage holds for the upload, read with the app's own client (the address cannot read).</summary>
    public async Task<CaseOutcome<UploadBlocks>> BlocksAsync(Caller caller, string caseId, string fileId, CancellationToken cancellationToken)
    {
        var owned = await OwnReceivingAsync(caller, caseId, fileId, cancellationToken);
        if (owned is not CaseOutcome<StoredFile>.Done { Value: var file })
        {
            return owned.As<UploadBlocks>();
        }

        var (committed, uncommitted) = await BlockListAsync(file, BlockListTypes.All, cancellationToken);
        caller.Audit.TouchedEntries([fileId]);
        return new CaseOutcome<UploadBlocks>.Done(new UploadBlocks(fileId, file.DeclaredLength ?? 0, committed, uncommitted));
    }

    /// <summary>A fresh address for the same blob, for an upload that outlived the last one (never past its day).</summary>
    public async Task<CaseOutcome<DirectUploadAddress>> RenewAsync(Caller caller, string caseId, string fileId, CancellationToken cancellationToken)
    {
        var owned = await OwnReceivingAsync(caller, caseId, fileId, cancellationToken);
        if (owned is not CaseOutcome<StoredFile>.Done { Value: var file })
        {
            return owned.As<DirectUploadAddress>();
        }

        if (Expired(file))
        {
            return Closed<DirectUploadAddress>(DirectUploadRefusals.Expired);
        }

        var address = await addresses.IssueAsync(Quarantined(caseId, fileId), file.UploadedAt + UploadWindow, cancellationToken);
        if (address is null)
        {
            return new CaseOutcome<DirectUploadAddress>.Refused(ProblemCatalogue.DirectUploadUnavailable);
        }

        var renewed = await files.ReplaceAsync(file with { UploadExpiresAt = address.ExpiresAt }, cancellationToken);
        if (renewed is null)
        {
            // Completed (or gone) meanwhile: the address just signed is never handed out.
            return await files.GetAsync(caseId, fileId, cancellationToken) is { State: not FileState.Receiving }
                ? Closed<DirectUploadAddress>(DirectUploadRefusals.Completed)
                : new CaseOutcome<DirectUploadAddress>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogInformation("File {FileId} of case {CaseId}: a new upload address for {CallerId}, valid until {ExpiresAt}", fileId, caseId, caller.Id, address.ExpiresAt);
        caller.Audit.TouchedEntries([fileId]);
        return new CaseOutcome<DirectUploadAddress>.Done(View(renewed, address));
    }

    /// <summary>
    /// Checks what was committed (its length within the limit and equal to the size declared at the start), marks the
    /// file quarantined (ETag-checked) and queues its validation. Completing again answers the file's state as it is.
    /// </summary>
    public async Task<CaseOutcome<FileAccepted>> CompleteAsync(Caller caller, string caseId, string fileId, ProblemLanguage language, CancellationToken cancellationToken)
    {
        var owned = await OwnDirectAsync(caller, caseId, fileId, cancellationToken);
        if (owned is not CaseOutcome<StoredFile>.Done { Value: var file })
        {
            return owned.As<FileAccepted>();
        }

        if (file.State != FileState.Receiving)
        {
            caller.Audit.TouchedEntries([fileId]);
            return new CaseOutcome<FileAccepted>.Done(FileUploads.Accepted(caller, file, language)); // completed before
        }

        if (Expired(file))
        {
            return Closed<FileAccepted>(DirectUploadRefusals.Expired);
        }

        long length;
        try
        {
            length = (await Quarantined(caseId, fileId).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            var (_, staged) = await BlockListAsync(file, BlockListTypes.Uncommitted, cancellationToken);
            return Incomplete(DirectUploadRefusals.NotCommitted, ("stagedBlocks", staged.Count), ("stagedBytes", staged.Sum(block => block.Size)));
        }

        var limit = validator.LimitOf(UploadRoute.Direct);
        if (length > limit)
        {
            return TooLarge<FileAccepted>(limit);
        }

        if (length != file.DeclaredLength)
        {
            return Incomplete(DirectUploadRefusals.SizeMismatch, ("committedBytes", length), ("declaredBytes", file.DeclaredLength ?? 0));
        }

        var quarantined = await files.ReplaceAsync(file with { State = FileState.Quarantined, ReceivedLength = length }, cancellationToken);
        if (quarantined is null)
        {
            // Another request changed the row meanwhile: a completion that won is this one's answer too.
            var now = await files.GetAsync(caseId, fileId, cancellationToken);
            return now is { State: not FileState.Receiving }
                ? new CaseOutcome<FileAccepted>.Done(FileUploads.Accepted(caller, now, language))
                : new CaseOutcome<FileAccepted>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogInformation("File {FileId} of case {CaseId}: direct upload completed by {CallerId}, {Bytes} bytes in quarantine", fileId, caseId, caller.Id, length);
        caller.Audit.TouchedEntries([fileId]);
        await validation.SendAsync(quarantined);
        return new CaseOutcome<FileAccepted>.Done(FileUploads.Accepted(caller, quarantined, language));
    }

    /// <summary>
    /// The file, when the caller sent it directly: a person who sees it but did not send it is refused (403); whoever
    /// may not see it, and any other form's key, gets 404 as for a missing file.
    /// </summary>
    private async Task<CaseOutcome<StoredFile>> OwnDirectAsync(Caller caller, string caseId, string fileId, CancellationToken cancellationToken)
    {
        StoredFile file;
        if (caller.Kind == CallerKind.SubmissionKey)
        {
            var opened = await gate.OpenAsync(caller, caseId, CaseNeed.AddEntry, cancellationToken);
            if (opened is not CaseOutcome<OpenCase>.Done)
            {
                return opened.As<StoredFile>();
            }

            var found = await files.GetAsync(caseId, fileId, cancellationToken);
            if (found is null || found.Uploader.Kind != EntryAuthor.Key || found.Uploader.Id != caller.Id)
            {
                if (found is not null)
                {
                    caller.Audit.MarkHidden(); // a form learns nothing of files it did not send
                }

                return new CaseOutcome<StoredFile>.NotFound(Hidden: found is not null);
            }

            file = found;
        }
        else
        {
            var found = await reader.FindAsync(caller, caseId, fileId, cancellationToken, CaseNeed.AddEntry);
            if (found is not CaseOutcome<FileAccessed>.Done { Value: var accessed })
            {
                return found.As<StoredFile>();
            }

            if (accessed.File.Uploader.Kind != EntryAuthor.Person || accessed.File.Uploader.Id != caller.Id)
            {
                return new CaseOutcome<StoredFile>.Forbidden(); // sees the file, but only its uploader finishes sending it
            }

            file = accessed.File;
        }

        return file.Route == UploadRoute.Direct ? new CaseOutcome<StoredFile>.Done(file) : Closed<StoredFile>(DirectUploadRefusals.NotDirect);
    }

    private async Task<CaseOutcome<StoredFile>> OwnReceivingAsync(Caller caller, string caseId, string fileId, CancellationToken cancellationToken)
    {
        var owned = await OwnDirectAsync(caller, caseId, fileId, cancellationToken);
        return owned is CaseOutcome<StoredFile>.Done { Value.State: not FileState.Receiving } ? Closed<StoredFile>(DirectUploadRefusals.Completed) : owned;
    }

    private async Task<(IReadOnlyList<UploadBlock> Committed, IReadOnlyList<UploadBlock> Uncommitted)> BlockListAsync(StoredFile file, BlockListTypes types, CancellationToken cancellationToken)
    {
        var blob = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Quarantine)).GetBlockBlobClient(FileBlobs.Name(file.CaseId, file.FileId));
        try
        {
            BlockList list = await blob.GetBlockListAsync(types, cancellationToken: cancellationToken);
            return (Blocks(list.CommittedBlocks), Blocks(list.UncommittedBlocks));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return ([], []); // nothing staged yet
        }

        static IReadOnlyList<UploadBlock> Blocks(IEnumerable<BlobBlock>? blocks) => [.. (blocks ?? []).Select(block => new UploadBlock(block.Name, block.SizeLong))];
    }

    private Azure.Storage.Blobs.BlobClient Quarantined(string caseId, string fileId)
        => clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Quarantine)).GetBlobClient(FileBlobs.Name(caseId, fileId));

    private bool Expired(StoredFile file) => clock.GetUtcNow() - file.UploadedAt >= UploadWindow;

    private static DirectUploadAddress View(StoredFile file, UploadAddress address)
    {
        var declared = file.DeclaredLength ?? 0;
        return new DirectUploadAddress(file.FileId, address.Url.AbsoluteUri, JapanTime.ToJapan(address.ExpiresAt), BlockSize, (int)((declared + BlockSize - 1) / BlockSize));
    }

    private static CaseOutcome<T> Closed<T>(string reason) => new CaseOutcome<T>.Refused(ProblemCatalogue.UploadClosed, reason);

    private static CaseOutcome<FileAccepted> Incomplete(string reason, params (string Name, long Value)[] arguments)
        => new CaseOutcome<FileAccepted>.Refused(
            ProblemCatalogue.UploadIncomplete,
            reason,
            arguments.ToDictionary(argument => argument.Name, argument => argument.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal));

    private static CaseOutcome<T> TooLarge<T>(long limit)
    {
        var rejection = new FileRejection(FileRejections.TooLarge, new Dictionary<string, string> { ["limitMegabytes"] = (limit / FilesOptions.Megabyte).ToString(CultureInfo.InvariantCulture) });
        return new CaseOutcome<T>.Refused(ProblemCatalogue.FileTooLarge, rejection.Reason, rejection.Arguments);
    }

    private static CaseOutcome<T> Rejected<T>(FileRejection rejection) => new CaseOutcome<T>.Refused(ProblemCatalogue.FileRejected, rejection.Reason, rejection.Arguments);
}
