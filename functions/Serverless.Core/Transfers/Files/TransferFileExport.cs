using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Files.Storage;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Time;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Packages;
using Serverless.Transfers.Partners;
using Serverless.Validation;

namespace Serverless.Transfers.Files;

/// <summary>
/// <c>POST /api/cases/{caseId}/transfer-files</c>: the export file of a case (<see cref="TransferFile"/>) for a receiving
/// council that does not run this system. The case gate first (a hidden case is 404; only a coordinator may), then the
/// request: the receiving coordinator's RSA public key must be the one whose fingerprint they read out on the phone.
/// The package is the one a send builds (<see cref="TransferPackageBuilder"/>, the same entry and file limits), with
/// the files' bytes; nothing is stored: the file is the answer, and the disclosure is in the case's audit (entry ids,
/// file hashes, the receiving code and the message id).
/// </summary>
public sealed class TransferFileExport(
    CaseGate gate,
    TransferPackageBuilder builder,
    TransferSigning signing,
    StorageClients clients,
    StorageNames names,
    IOptions<TransferOptions> options,
    IOptions<AcknowledgeWithinHoursOptions> deadlines,
    TimeProvider clock,
    ILogger<TransferFileExport> logger)
{
    /// <param name="request">Null when the body could not be read (said only after the gate let the caller in).</param>
    public async Task<CaseOutcome<ExportedTransferFile>> ExportAsync(Caller caller, string caseId, ExportTransferFileRequest? request, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<ExportedTransferFile>();
        }

        if (request is null)
        {
            return new CaseOutcome<ExportedTransferFile>.Unreadable();
        }

        var settings = options.Value;
        var ownCode = settings.MunicipalityCode?.Trim();
        var errors = new ValidationErrors();
        using var receiverKey = ValidateRecipient(errors, request.Recipient, ownCode);
        OutgoingTransferService.ValidateHandover(errors, request.Reason, request.RiskLevel, request.Summary, request.FaceToFace);
        if (errors.Any)
        {
            return new CaseOutcome<ExportedTransferFile>.Invalid(errors.All);
        }

        if (string.IsNullOrWhiteSpace(ownCode) || !signing.IsConfigured)
        {
            return new CaseOutcome<ExportedTransferFile>.Refused(ProblemCatalogue.TransfersNotConfigured);
        }

        if (open.Record.Status == CaseStatus.Closed)
        {
            return new CaseOutcome<ExportedTransferFile>.Refused(ProblemCatalogue.TransfersCaseClosed);
        }

        var now = clock.GetUtcNow();
        var risk = request.RiskLevel!.Value;
        var faceToFace = request.FaceToFace!;
        var handover = new TransferHandover(
            request.Reason!.Kind!, string.IsNullOrWhiteSpace(request.Reason.NewArea) ? null : request.Reason.NewArea.Trim(), risk, request.Summary!.Trim(),
            faceToFace.Arranged ?? false, faceToFace.Date, now + deadlines.Value.For(risk));
        var package = await builder.BuildAsync(caller, open, handover, cancellationToken);
        var maxBytes = Math.Min(settings.ExportMaxBytes, TransferFile.MaxFileBytes);
        var references = package.Timeline.SelectMany(entry => entry.Files).DistinctBy(file => file.FileId, StringComparer.Ordinal).ToList();
        var fileBytes = references.Sum(file => file.Length);
        if (package.Timeline.Count > IncomingTransferLimits.MaxEntries || references.Count > IncomingTransferLimits.MaxFiles || fileBytes > maxBytes)
        {
            return TooLarge(caseId, package.Timeline.Count, references.Count, fileBytes, maxBytes);
        }

        var container = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Files));
        var contents = new List<TransferFileContent>(references.Count);
        foreach (var reference in references)
        {
            var download = await container.GetBlobClient(FileBlobs.Name(caseId, reference.FileId)).DownloadContentAsync(cancellationToken);
            contents.Add(new TransferFileContent(reference.FileId, download.Value.Content.ToArray()));
        }

        var receiverCode = request.Recipient!.MunicipalityCode!;
        var signer = signing.Create();
        string messageId;
        byte[] bytes;
        using (signer as IDisposable)
        {
            (messageId, bytes) = await TransferFile.WriteAsync(package, contents, ownCode, receiverCode, now, signer, receiverKey!, cancellationToken);
        }

        if (bytes.LongLength > maxBytes)
        {
            return TooLarge(caseId, package.Timeline.Count, references.Count, bytes.LongLength, maxBytes);
        }

        caller.Audit.TouchedEntries(package.EntryIds());
        caller.Audit.Targeted(new AuditTarget(MunicipalityCode: receiverCode, MessageId: messageId, FileHashes: package.FileHashes()));
        logger.LogInformation(
            "Case {CaseId} exported as transfer file {MessageId} for {MunicipalityCode} by {CallerId}: {EntryCount} entries, {FileCount} files, {Length} bytes",
            caseId, messageId, receiverCode, caller.Id, package.Timeline.Count, references.Count, bytes.LongLength);
        return new CaseOutcome<ExportedTransferFile>.Done(new ExportedTransferFile(bytes, FileName(caseId, receiverCode, messageId), messageId));
    }

    /// <summary>The download name: ids only, plain ASCII (the case id is checked by the gate, the code by validation).</summary>
    public static string FileName(string caseId, string receiverCode, string messageId)
        => string.Create(CultureInfo.InvariantCulture, $"transfer-{SafeId(caseId)}-{receiverCode}-{messageId}.svtr");

    private static string SafeId(string id) => new([.. id.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')]);

    /// <summary>The receiving coordinator's key, when it is an RSA public key of at least 3072 bits whose fingerprint is
    /// the one read out; null (with the errors added) otherwise. The caller disposes it.</summary>
    private static System.Security.Cryptography.RSA? ValidateRecipient(ValidationErrors errors, TransferFileRecipientInput? recipient, string? ownCode)
    {
        errors.Required("$.recipient", recipient);
        if (recipient is null)
        {
            return null;
        }

        errors.Required("$.recipient.municipalityCode", recipient.MunicipalityCode);
        if (recipient.MunicipalityCode is { } code && (!MunicipalityCode.IsValid(code) || code == ownCode))
        {
            errors.Add("$.recipient.municipalityCode", FieldRules.InvalidId);
        }

        errors.Required("$.recipient.encryptionKeyPem", string.IsNullOrWhiteSpace(recipient.EncryptionKeyPem) ? null : recipient.EncryptionKeyPem);
        errors.Text("$.recipient.encryptionKeyPem", recipient.EncryptionKeyPem, TransferFileExportLimits.MaxKeyPemLength, multiline: true);
        errors.Required("$.recipient.encryptionKeyFingerprint", recipient.EncryptionKeyFingerprint);
        if (string.IsNullOrWhiteSpace(recipient.EncryptionKeyPem) || recipient.EncryptionKeyPem.Length > TransferFileExportLimits.MaxKeyPemLength)
        {
            return null;
        }

        var key = PartnerKeys.ImportEncryptionKey(recipient.EncryptionKeyPem, out _);
        if (key is null)
        {
            errors.Add("$.recipient.encryptionKeyPem", FieldRules.InvalidValue);
            return null;
        }

        if (recipient.EncryptionKeyFingerprint is not null && !KeyFingerprint.Matches(recipient.EncryptionKeyFingerprint, KeyFingerprint.Of(key)))
        {
            errors.Add("$.recipient.encryptionKeyFingerprint", FieldRules.FingerprintMismatch);
        }

        return key;
    }

    private CaseOutcome<ExportedTransferFile> TooLarge(string caseId, int entries, int files, long bytes, long maxBytes)
    {
        logger.LogInformation("Case {CaseId} not exported as a transfer file: {EntryCount} entries, {FileCount} files, {Length} bytes over the limits", caseId, entries, files, bytes);
        return new CaseOutcome<ExportedTransferFile>.Refused(
            ProblemCatalogue.TransfersExportTooLarge,
            OutgoingTransferRefusals.ExportTooLarge,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["entries"] = entries.ToString(CultureInfo.InvariantCulture),
                ["files"] = files.ToString(CultureInfo.InvariantCulture),
                ["bytes"] = bytes.ToString(CultureInfo.InvariantCulture),
                ["maxEntries"] = IncomingTransferLimits.MaxEntries.ToString(CultureInfo.InvariantCulture),
                ["maxFiles"] = IncomingTransferLimits.MaxFiles.ToString(CultureInfo.InvariantCulture),
                ["maxBytes"] = maxBytes.ToString(CultureInfo.InvariantCulture),
            });
    }
}
