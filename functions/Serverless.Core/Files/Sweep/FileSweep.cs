using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Files.Storage;
using Serverless.Files.Validation;
using Serverless.Storage;

namespace Serverless.Files.Sweep;

/// <summary>What one sweep did: validations queued again, files deleted, pointers dropped.</summary>
public sealed record FileSweepResult(int Requeued, int Deleted, int Dropped);

/// <summary>
/// The timer's sweep of files not attached to an entry, read from their pending pointers (never a scan of the cases):
/// a quarantined file whose validation message was lost is queued again; a file never completed, never attached, or
/// refused is deleted with its bytes a day after its upload; a pointer whose file is attached or gone is dropped.
/// Idempotent: every step is a fresh read and every delete ignores what is already gone.
/// </summary>
public sealed class FileSweep(CaseFiles files, FileValidationQueue validation, FileStoreSteps stored, StorageClients clients, StorageNames names, TimeProvider clock, ILogger<FileSweep> logger)
{
    /// <summary>A file attached to nothing this long after its upload is deleted.</summary>
    public static readonly TimeSpan KeepUnattached = TimeSpan.FromHours(24);

    /// <summary>A file still quarantined this long after its upload had its message lost (or dead-lettered): queued again.</summary>
    public static readonly TimeSpan RequeueAfter = TimeSpan.FromMinutes(10);

    /// <summary>At most this many pointers per run; the rest wait for the next.</summary>
    public const int Batch = 500;

    public async Task<FileSweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        int requeued = 0, deleted = 0, dropped = 0;
        foreach (var pointer in await files.PendingAsync(now - RequeueAfter, Batch, cancellationToken))
        {
            var file = await files.GetAsync(pointer.CaseId, pointer.FileId, cancellationToken);
            if (file is null || file.EntryId is not null)
            {
                await files.DropPointerAsync(pointer, cancellationToken); // erased with its case, or attached
                dropped++;
            }
            else if (now - file.UploadedAt >= KeepUnattached)
            {
                await DeleteAsync(file, cancellationToken);
                deleted++;
            }
            else if (file.State == FileState.Quarantined)
            {
                await validation.SendAsync(file);
                requeued++;
            }
        }

        if (requeued + deleted + dropped > 0)
        {
            logger.LogInformation("File sweep: {Requeued} validations queued again, {Deleted} unattached files deleted, {Dropped} pointers dropped", requeued, deleted, dropped);
        }

        return new FileSweepResult(requeued, deleted, dropped);
    }

    /// <summary>Deletes a file's bytes (quarantined and stored), then its row and pointer: the row last, so a run that
    /// stops halfway finds the file again.</summary>
    private async Task DeleteAsync(StoredFile file, CancellationToken cancellationToken)
    {
        var quarantine = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Quarantine));
        await quarantine.GetBlobClient(FileBlobs.Name(file.CaseId, file.FileId)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        await stored.DeleteStoredAsync(file.CaseId, file.FileId, cancellationToken);
        await files.DeleteAsync(file, cancellationToken);
        logger.LogInformation("File {FileId} of case {CaseId} deleted: {State} and attached to no entry a day after its upload", file.FileId, file.CaseId, file.State);
    }
}
