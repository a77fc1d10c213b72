using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Audit;
using Serverless.Time;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Packages;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>Why a <c>file</c> message was refused (for the log and the tests; the caller gets the same 403 as for a package).</summary>
public static class FileIntakeRefusals
{
    public const string NotAFile = "not-a-file";
    public const string UnknownPackage = "unknown-package";
    public const string NotReferenced = "not-referenced";
    public const string Mismatch = "file-mismatch";
    public const string TooLarge = "file-too-large";
    public const string Conflict = "file-conflict";
}

/// <summary>
/// The intake's <c>file</c> branch (<see cref="TransferIntake"/> hands every opened <see cref="TransferMessageKind.File"/>
/// message here). The envelope is opened exactly as a package's is (confirmed sender, addressed to us, our key, their
/// signature); then the file is accepted only when this sender delivered a package with the named message id here, that
/// package references the file id, and the bytes have exactly the SHA-256 and length it names. Anything else is the same
/// refusal as a package's, one anonymous audit event, nothing stored. Accepted: audit intent, the bytes (blob named by ids,
/// no-overwrite), the row (insert-only), the outcome with the file's hash; then, if the package was already accepted
/// into a case, the file is imported into it. The same file sent again (a sender's retry after a lost answer) is
/// answered 202 and stores nothing more.
/// </summary>
public sealed class TransferFileIntake(
    TransferPartnerStore partners,
    IncomingTransferStore packages,
    IncomingTransferFileStore store,
    AcceptedTransferFiles imports,
    OwnTransferIdentity identity,
    TransferDecryptionKey decryption,
    IAuditTrail audit,
    TimeProvider clock,
    ILogger<TransferFileIntake> logger)
{
    public async Task<IntakeOutcome> ReceiveAsync(byte[] sealedBytes, TransferRouting routing, AuditRequest request, CancellationToken cancellationToken)
    {
        var (refusal, payload, reference) = await CheckAsync(sealedBytes, routing, cancellationToken);
        if (refusal is not null)
        {
            logger.LogWarning("Transfer intake request {RequestId} refused: {Reason}", request.RequestId, refusal);
            await audit.RecordAsync(AuditActor.Anonymous, request, AuditActions.TransferFileReceive, null, AuditOutcome.Refused, cancellationToken, new AuditTarget(MunicipalityCode: routing.SenderCode, MessageId: routing.MessageId));
            return new IntakeOutcome.Refused(refusal);
        }

        var actor = new AuditActor(AuditActorKind.Partner, routing.SenderCode, null, null);
        var target = new AuditTarget(MunicipalityCode: routing.SenderCode, MessageId: routing.MessageId, FileHashes: [reference!.Sha256]);
        var intent = await audit.BeginAsync(actor, request, AuditActions.TransferFileReceive, null, null, breakGlass: false, cancellationToken, target);
        var receivedAt = clock.GetUtcNow();
        IncomingTransferFileEntity row;
        try
        {
            if (!await store.StoreBlobAsync(routing.SenderCode, payload!.PackageMessageId, payload.FileId, payload.Content, reference.Sha256, cancellationToken))
            {
                await CompleteAsync(intent, actor, AuditOutcome.Refused, target, payload);
                logger.LogWarning("Transfer intake request {RequestId} refused: {Reason}", request.RequestId, FileIntakeRefusals.Conflict);
                return new IntakeOutcome.Refused(FileIntakeRefusals.Conflict);
            }

            row = new IncomingTransferFileEntity
            {
                PartitionKey = routing.SenderCode,
                RowKey = IncomingTransferFileEntity.Row(payload.PackageMessageId, payload.FileId),
                PackageMessageId = payload.PackageMessageId,
                FileId = payload.FileId,
                FileMessageId = routing.MessageId,
                Name = reference.FileName,
                ContentType = reference.ContentType,
                Sha256 = reference.Sha256,
                Length = reference.Length,
                ReceivedAt = receivedAt,
            };
            if (!await store.InsertAsync(row, cancellationToken))
            {
                // Received before (the hash is the package's, so the bytes are the same): answered as accepted again.
                row = await store.GetAsync(routing.SenderCode, payload.PackageMessageId, payload.FileId, cancellationToken) ?? row;
            }
        }
        catch (Exception)
        {
            await CompleteAsync(intent, actor, AuditOutcome.Failed, target, payload);
            throw;
        }

        await CompleteAsync(intent, actor, AuditOutcome.Succeeded, target, payload);
        logger.LogInformation("Transfer file {FileId} of package {PackageMessageId} received from {MunicipalityCode} ({Length} bytes)", payload.FileId, payload.PackageMessageId, routing.SenderCode, payload.Content.Length);
        await imports.ImportArrivedAsync(row, cancellationToken);
        return new IntakeOutcome.Accepted(new IncomingTransferReceipt(routing.MessageId, JapanTime.ToJapan(receivedAt), Convert.ToHexStringLower(SHA256.HashData(sealedBytes))));
    }

    /// <summary>Every check that reads only: the refusal, or the payload and the package's reference it matches.</summary>
    private async Task<(string? Refusal, TransferFilePayload? Payload, TransferFileReference? Reference)> CheckAsync(byte[] sealedBytes, TransferRouting routing, CancellationToken cancellationToken)
    {
        if (await partners.ConfirmedAsync(routing.SenderCode, cancellationToken) is not { } partner)
        {
            return (IntakeRefusals.UnknownSender, null, null);
        }

        if (identity.MunicipalityCode is not { } ownCode || decryption.Unwrapper is not { } ownKey)
        {
            return (IntakeRefusals.NotConfigured, null, null);
        }

        if (routing.ReceiverCode != ownCode)
        {
            return (IntakeRefusals.NotForUs, null, null);
        }

        using var senderKey = PartnerKeys.ImportVerificationKey(partner.VerificationKeyPem, out _);
        if (senderKey is null)
        {
            return (IntakeRefusals.BadSignature, null, null);
        }

        if (await OpenAsync(sealedBytes, ownCode, ownKey, senderKey, cancellationToken) is not { } message)
        {
            return (IntakeRefusals.Undecryptable, null, null);
        }

        var payload = message.Kind == TransferMessageKind.File ? TransferFilePayload.Parse(message.Payload) : null;
        if (payload is null)
        {
            return (FileIntakeRefusals.NotAFile, null, null);
        }

        if (payload.Content.Length > IncomingTransferLimits.MaxFileBytes)
        {
            return (FileIntakeRefusals.TooLarge, null, null);
        }

        // The package: received here from this very sender (its row is in the sender's partition; its blob opens with the
        // sender's key and names the sender), and referencing this file with exactly these bytes.
        if (!await packages.ExistsAsync(routing.SenderCode, payload.PackageMessageId, cancellationToken)
            || await store.ReadPackageAsync(payload.PackageMessageId, cancellationToken) is not { } sealedPackage
            || await OpenAsync(sealedPackage, ownCode, ownKey, senderKey, cancellationToken) is not { Kind: TransferMessageKind.Package } packageMessage
            || packageMessage.SenderCode != routing.SenderCode
            || TransferPackage.Parse(packageMessage.Payload) is not { } package)
        {
            return (FileIntakeRefusals.UnknownPackage, null, null);
        }

        var reference = package.Timeline.SelectMany(entry => entry.Files).FirstOrDefault(file => file.FileId == payload.FileId);
        if (reference is null)
        {
            return (FileIntakeRefusals.NotReferenced, null, null);
        }

        return reference.Length == payload.Content.LongLength && string.Equals(Convert.ToHexStringLower(SHA256.HashData(payload.Content)), reference.Sha256, StringComparison.Ordinal)
            ? (null, payload, reference)
            : (FileIntakeRefusals.Mismatch, null, null);
    }

    private static async Task<TransferMessage?> OpenAsync(byte[] sealedBytes, string ownCode, Backup.IKeyUnwrapper ownKey, ECDsa senderKey, CancellationToken cancellationToken)
    {
        try
        {
            return await TransferEnvelope.OpenAsync(sealedBytes, ownCode, ownKey, senderKey, cancellationToken);
        }
        catch (Exception ex) when (ex is TransferEnvelopeException or JsonException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private async Task CompleteAsync(AuditIntent intent, AuditActor actor, AuditOutcome outcome, AuditTarget target, TransferFilePayload? payload)
    {
        try
        {
            await audit.CompleteAsync(intent, actor, outcome, [], breakGlass: false, CancellationToken.None, payload is null ? null : [payload.FileId], target);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Transfer file intake: the audit outcome could not be written (intent {AuditEntryId})", intent.EntryId);
        }
    }
}
