using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Entries;
using Serverless.Files;
using Serverless.Files.Storage;
using Serverless.Files.Upload;
using Serverless.Files.Validation;
using Serverless.Storage;
using Serverless.Transfers.Envelope;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>
/// Brings the carried files of an accepted package into its new case through the files feature's own path: a file row
/// of the case (uploaded by the imported entry's author), the bytes into <c>quarantine</c>, attached to the imported entry
/// in the entry's batch, then validation queued exactly as for an upload (ready or rejected with its reason, which the
/// case's file list shows coordinators). The map of file to entry is persisted first, so a file arriving after the
/// acceptance is imported on arrival (<see cref="ImportArrivedAsync"/>). Idempotent step by step: the case file id is
/// chosen once and kept on the received file's row before anything is written into the case, and each later step is
/// skipped when already done; an imported file is never imported again.
/// </summary>
public sealed class AcceptedTransferFiles(
    IncomingTransferFileStore store,
    CaseFiles caseFiles,
    EntryStore entries,
    StorageClients clients,
    StorageNames names,
    FileValidationQueue validation,
    TimeProvider clock,
    ILogger<AcceptedTransferFiles> logger) : IAcceptedTransferFiles
{
    public const string EntryMissing = "entry-missing";

    public async Task ImportAsync(AcceptedTransfer accepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        if (!Partners.MunicipalityCode.IsValid(accepted.SenderMunicipalityCode) || !TransferIds.IsMessageId(accepted.PackageMessageId))
        {
            throw new ArgumentException("An accepted transfer names its sender's code and its package's message id.", nameof(accepted));
        }

        var entryByFile = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in accepted.Entries)
        {
            foreach (var file in entry.Files.Where(file => FileIds.IsValid(file.FileId)))
            {
                entryByFile.TryAdd(file.FileId, entry.EntryId);
            }
        }

        await store.SaveAcceptedAsync(
            new AcceptedTransferFilesEntity
            {
                PartitionKey = accepted.SenderMunicipalityCode,
                RowKey = AcceptedTransferFilesEntity.Row(accepted.PackageMessageId),
                CaseId = accepted.CaseId,
                EntryByFile = JsonSerializer.Serialize(entryByFile),
                AcceptedAt = clock.GetUtcNow(),
            },
            cancellationToken);

        var received = await store.OfPackageAsync(accepted.SenderMunicipalityCode, accepted.PackageMessageId, cancellationToken);
        foreach (var row in received)
        {
            if (entryByFile.TryGetValue(row.FileId, out var entryId))
            {
                await ImportOneAsync(row, accepted.CaseId, entryId, cancellationToken);
            }
        }

        logger.LogInformation(
            "Transfer {PackageMessageId} from {MunicipalityCode} accepted into case {CaseId}: {Received} of {Referenced} files received so far",
            accepted.PackageMessageId, accepted.SenderMunicipalityCode, accepted.CaseId, received.Count(row => entryByFile.ContainsKey(row.FileId)), entryByFile.Count);
    }

    /// <summary>A file just received: imported at once when its package was already accepted. A failure is logged, not
    /// thrown (the file is stored and acknowledged; a retried acceptance imports it).</summary>
    public async Task ImportArrivedAsync(IncomingTransferFileEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var accepted = await store.AcceptedAsync(row.PartitionKey, row.PackageMessageId, cancellationToken);
            var map = accepted is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(accepted.EntryByFile);
            if (accepted is not null && map is not null && map.TryGetValue(row.FileId, out var entryId)
                && await store.GetAsync(row.PartitionKey, row.PackageMessageId, row.FileId, cancellationToken) is { } stored) // with its ETag
            {
                await ImportOneAsync(stored, accepted.CaseId, entryId, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Transfer file {FileId} of package {PackageMessageId}: received, but not imported into its accepted case", row.FileId, row.PackageMessageId);
        }
    }

    private async Task ImportOneAsync(IncomingTransferFileEntity row, string caseId, string entryId, CancellationToken cancellationToken)
    {
        // 1. The case's file id, chosen once and kept before anything is written into the case.
        while (row.ImportFileId is null)
        {
            row.ImportCaseId = caseId;
            row.ImportEntryId = entryId;
            row.ImportFileId = FileIds.New();
            row.ImportState = CarriedFileImportStates.Importing;
            if (!await store.UpdateAsync(row, cancellationToken))
            {
                row = await store.GetAsync(row.PartitionKey, row.PackageMessageId, row.FileId, cancellationToken)
                    ?? throw new InvalidOperationException($"Transfer file {row.FileId} of package {row.PackageMessageId} is gone.");
            }
        }

        if (row.ImportState != CarriedFileImportStates.Importing || row.ImportCaseId != caseId)
        {
            return; // imported (or failed) already, or into another case: never twice
        }

        var fileId = row.ImportFileId;
        var versions = await entries.VersionsAsync(caseId, row.ImportEntryId!, cancellationToken);
        var latest = versions.Count > 0 ? versions[^1] : null;
        if (latest?.TimelineRow is null)
        {
            await SettleAsync(row, CarriedFileImportStates.Failed, EntryMissing, cancellationToken);
            logger.LogWarning("Transfer file {FileId} of package {PackageMessageId}: entry {EntryId} of case {CaseId} not found; not imported", row.FileId, row.PackageMessageId, row.ImportEntryId, caseId);
            return;
        }

        // 2. The case's file row, as an upload writes it (its pointer first), named as the package named it.
        var now = clock.GetUtcNow();
        var name = FileNames.Sanitise(row.Name) is SanitisedFileName.Valid { Name: var valid } ? valid : "file";
        var file = await caseFiles.GetAsync(caseId, fileId, cancellationToken)
            ?? await caseFiles.AddAsync(
                new StoredFile(caseId, fileId, FileState.Receiving, UploadRoute.FunctionPath, now, new FileUploader(latest.Author.Kind, latest.Author.Id, latest.Author.AgencyId), name, row.Length),
                cancellationToken);

        // 3. The bytes into quarantine; the row says quarantined.
        if (file.State == FileState.Receiving)
        {
            await using (var content = await store.OpenAsync(row, cancellationToken) ?? throw new InvalidOperationException($"Transfer file {row.FileId} has a row and no bytes."))
            {
                var quarantine = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Quarantine)).GetBlobClient(FileBlobs.Name(caseId, fileId));
                await quarantine.UploadAsync(content, new BlobUploadOptions { TransferOptions = FileUploads.Transfer }, cancellationToken);
            }

            file = await caseFiles.ReplaceAsync(file with { State = FileState.Quarantined, ReceivedLength = row.Length }, cancellationToken)
                ?? throw new InvalidOperationException($"File {fileId} of case {caseId} changed while it was imported.");
        }

        // 4. Attached to the imported entry, in the entry's batch; the pending pointer goes.
        if (file.EntryId is null)
        {
            var head = await entries.HeadAsync(caseId, latest.TimelineRow, cancellationToken);
            if (head is null || !await entries.AttachFilesAsync(head, latest, [fileId], [CaseFiles.Attach(file, entryId, now)], cancellationToken))
            {
                throw new InvalidOperationException($"Entry {entryId} of case {caseId} changed while file {fileId} was attached; retry.");
            }

            file = file with { EntryId = entryId, AttachedAt = now };
            await caseFiles.ReleaseAsync(file, cancellationToken);
        }

        // 5. Validation, as for an upload (a repeated message finds it no longer quarantined and does nothing).
        if (file.State == FileState.Quarantined)
        {
            await validation.SendAsync(file);
        }

        await SettleAsync(row, CarriedFileImportStates.Imported, null, cancellationToken);
        logger.LogInformation("Transfer file {FileId} of package {PackageMessageId} imported into case {CaseId} as {CaseFileId}", row.FileId, row.PackageMessageId, caseId, fileId);
    }

    private async Task SettleAsync(IncomingTransferFileEntity row, string state, string? failure, CancellationToken cancellationToken)
    {
        row.ImportState = state;
        row.ImportFailure = failure;
        row.ImportedAt = clock.GetUtcNow();
        if (!await store.UpdateAsync(row, cancellationToken))
        {
            throw new InvalidOperationException($"Transfer file {row.FileId} of package {row.PackageMessageId} changed while it was imported; retry.");
        }
    }
}
