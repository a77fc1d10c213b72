using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Audit;
using Serverless.Time;
using Serverless.Transfers.Answers;
using Serverless.Transfers.CarriedFiles;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Packages;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.Incoming;

/// <summary>What the intake made of a posted message.</summary>
public abstract record IntakeOutcome
{
    /// <summary>Stored (blob, then row) and audited: answer 202 with the receipt.</summary>
    public sealed record Accepted(IncomingTransferReceipt Receipt) : IntakeOutcome;

    /// <summary>Refused for <paramref name="Reason"/> (an <see cref="IntakeRefusals"/> code, for the log only): nothing was
    /// stored and the caller gets the same answer whatever the reason.</summary>
    public sealed record Refused(string Reason) : IntakeOutcome;

    /// <summary>Over the body limit for its kind (<see cref="IncomingTransferLimits.MaxBodyBytesFor"/>): 413 naming
    /// <paramref name="MaxBytes"/>, nothing read further.</summary>
    public sealed record TooLarge(int MaxBytes) : IntakeOutcome;
}

/// <summary>What the sending council gets back: the message id, when it was received, and the SHA-256 of the bytes received
/// (lower-case hex), so it can prove what it handed over.</summary>
public sealed record IncomingTransferReceipt(string MessageId, DateTimeOffset ReceivedAt, string Sha256);

/// <summary>Why a message was refused: codes for the log and the tests, never told to the caller.</summary>
public static class IntakeRefusals
{
    public const string Malformed = "malformed";
    public const string UnknownSender = "unknown-sender";
    public const string NotConfigured = "not-configured";
    public const string NotForUs = "not-for-us";
    public const string Undecryptable = "undecryptable";
    public const string BadSignature = "bad-signature";
    public const string NotAPackage = "not-a-package";
    public const string TooManyParts = "too-many-parts";
    public const string Replay = "replay";

    /// <summary>An acknowledgement or more-request whose payload is not a well-formed answer of its kind.</summary>
    public const string NotAnAnswer = "not-an-answer";

    /// <summary>An answer (acknowledgement, more-request) naming a package this council never sent to that partner.</summary>
    public const string UnknownPackage = "unknown-package";

    public static string Of(TransferEnvelopeFailure failure) => failure switch
    {
        TransferEnvelopeFailure.NotForUs => NotForUs,
        TransferEnvelopeFailure.Undecryptable => Undecryptable,
        TransferEnvelopeFailure.BadSignature => BadSignature,
        _ => Malformed,
    };
}

/// <summary>
/// The transfer intake (<c>POST /api/transfers/incoming</c>): no bearer token; a message is trusted only on the signature
/// of a confirmed partner. In order: the routing, read without a key; the sender must be a confirmed partner
/// (<see cref="TransferPartnerStore.ConfirmedAsync"/>); the receiver must be this council; the envelope must open with this
/// council's key and verify with the partner's; a message id already received from that sender is a replay; the payload
/// must be a package. Then, fail closed, the audit intent; then the sealed bytes as received (blob, named by the message id)
/// and the insert-only row (a replay racing the first loses there); then the outcome with the package's entry ids and
/// file hashes. Every refusal is one anonymous audit event and stores nothing.
/// </summary>
public sealed class TransferIntake(
    TransferPartnerStore partners,
    IncomingTransferStore store,
    OwnTransferIdentity identity,
    TransferDecryptionKey decryption,
    TransferAnswerIntake answers,
    TransferFileIntake files,
    IAuditTrail audit,
    TimeProvider clock,
    ILogger<TransferIntake> logger)
{
    /// <param name="sealedBytes">The body as received (at most <see cref="IncomingTransferLimits.MaxFileMessageBytes"/>); null
    /// when it was larger.</param>
    public async Task<IntakeOutcome> ReceiveAsync(byte[]? sealedBytes, AuditRequest request, CancellationToken cancellationToken)
    {
        TransferRouting? readable = null;
        try
        {
            readable = sealedBytes is null ? null : TransferEnvelope.ReadRouting(sealedBytes);
        }
        catch (TransferEnvelopeException)
        {
        }

        // Only a file message may be larger than a package (its routing says so; the envelope must still open).
        var maxBytes = sealedBytes is null ? IncomingTransferLimits.MaxFileMessageBytes : IncomingTransferLimits.MaxBodyBytesFor(readable?.Kind);
        if (sealedBytes is null || sealedBytes.Length > maxBytes)
        {
            logger.LogWarning("Transfer intake request {RequestId} refused: {Reason}", request.RequestId, "too-large");
            await audit.RecordAsync(AuditActor.Anonymous, request, AuditActions.TransferPackageReceive, null, AuditOutcome.Invalid, cancellationToken);
            return new IntakeOutcome.TooLarge(maxBytes);
        }

        if (readable is not { } routing)
        {
            return await RefuseAsync(request, null, IntakeRefusals.Malformed, cancellationToken);
        }

        if (routing.Kind == TransferMessageKind.File)
        {
            return await files.ReceiveAsync(sealedBytes, routing, request, cancellationToken);
        }

        var checkedMessage = await CheckAsync(sealedBytes, routing, cancellationToken);
        if (checkedMessage.Refusal is { } refusal)
        {
            return await RefuseAsync(request, routing, refusal, cancellationToken);
        }

        if (checkedMessage.Answer is { } answer)
        {
            // The partner's answer to a package we sent: its own class; a refusal is audited and answered as any other.
            var answered = await answers.ReceiveAsync(answer, Convert.ToHexStringLower(SHA256.HashData(sealedBytes)), request, cancellationToken);
            return answered is IntakeOutcome.Refused refused ? await RefuseAsync(request, routing, refused.Reason, cancellationToken) : answered;
        }

        var package = checkedMessage.Package!;
        var actor = new AuditActor(AuditActorKind.Partner, routing.SenderCode, null, null);
        var target = new AuditTarget(MunicipalityCode: routing.SenderCode, MessageId: routing.MessageId);
        var intent = await audit.BeginAsync(actor, request, AuditActions.TransferPackageReceive, null, null, breakGlass: false, cancellationToken, target);
        var receivedAt = clock.GetUtcNow();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(sealedBytes));
        string? lost;
        try
        {
            lost = !await store.StoreBlobAsync(routing.MessageId, sealedBytes, sha256, cancellationToken) ? IntakeRefusals.Replay
                : !await store.InsertAsync(Row(routing, checkedMessage.CreatedAt, receivedAt, sha256, sealedBytes.Length), cancellationToken) ? IntakeRefusals.Replay
                : null;
        }
        catch (Exception)
        {
            await CompleteAsync(intent, actor, AuditOutcome.Failed, target, null);
            throw;
        }

        if (lost is not null)
        {
            // Another message with this id got there first (a replay racing it, or other bytes under the same id).
            logger.LogWarning("Transfer intake request {RequestId} refused: {Reason}", request.RequestId, lost);
            await CompleteAsync(intent, actor, AuditOutcome.Refused, target, null);
            return new IntakeOutcome.Refused(lost);
        }

        await CompleteAsync(intent, actor, AuditOutcome.Succeeded, target, package);
        logger.LogInformation("Transfer message {MessageId} received from {MunicipalityCode} ({Length} bytes)", routing.MessageId, routing.SenderCode, sealedBytes.Length);
        return new IntakeOutcome.Accepted(new IncomingTransferReceipt(routing.MessageId, JapanTime.ToJapan(receivedAt), sha256));
    }

    /// <summary>Every check that reads only: the refusal, or the opened package, or the opened answer (checked further by
    /// <see cref="TransferAnswerIntake"/>).</summary>
    private async Task<(string? Refusal, TransferPackage? Package, DateTimeOffset CreatedAt, TransferMessage? Answer)> CheckAsync(byte[] sealedBytes, TransferRouting routing, CancellationToken cancellationToken)
    {
        if (await partners.ConfirmedAsync(routing.SenderCode, cancellationToken) is not { } partner)
        {
            return (IntakeRefusals.UnknownSender, null, default, null);
        }

        if (identity.MunicipalityCode is not { } ownCode || decryption.Unwrapper is not { } unwrapper)
        {
            return (IntakeRefusals.NotConfigured, null, default, null);
        }

        if (routing.ReceiverCode != ownCode)
        {
            return (IntakeRefusals.NotForUs, null, default, null);
        }

        using var senderKey = PartnerKeys.ImportVerificationKey(partner.VerificationKeyPem, out _);
        if (senderKey is null)
        {
            return (IntakeRefusals.BadSignature, null, default, null);
        }

        TransferMessage message;
        try
        {
            message = await TransferEnvelope.OpenAsync(sealedBytes, ownCode, unwrapper, senderKey, cancellationToken);
        }
        catch (TransferEnvelopeException ex)
        {
            return (IntakeRefusals.Of(ex.Failure), null, default, null);
        }
        catch (Exception ex) when (ex is JsonException or CryptographicException or ArgumentException)
        {
            return (IntakeRefusals.Malformed, null, default, null);
        }

        if (TransferAnswerIntake.IsAnswer(message.Kind))
        {
            return (null, null, message.CreatedAt, message);
        }

        var package = message.Kind == TransferMessageKind.Package ? TransferPackage.Parse(message.Payload) : null;
        if (package is null)
        {
            return (IntakeRefusals.NotAPackage, null, default, null);
        }

        if (package.Timeline.Count > IncomingTransferLimits.MaxEntries || package.FileHashes().Count > IncomingTransferLimits.MaxFiles)
        {
            return (IntakeRefusals.TooManyParts, null, default, null);
        }

        return await store.ExistsAsync(routing.SenderCode, routing.MessageId, cancellationToken)
            ? (IntakeRefusals.Replay, null, default, null)
            : (null, package, message.CreatedAt, null);
    }

    private async Task<IntakeOutcome> RefuseAsync(AuditRequest request, TransferRouting? routing, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("Transfer intake request {RequestId} refused: {Reason}", request.RequestId, reason);
        // The codes the message claimed, kept as the target (the audit filter keeps only code- and id-shaped values).
        var claimed = routing is null ? null : new AuditTarget(MunicipalityCode: routing.SenderCode, MessageId: routing.MessageId);
        await audit.RecordAsync(AuditActor.Anonymous, request, AuditActions.TransferPackageReceive, null, AuditOutcome.Refused, cancellationToken, claimed);
        return new IntakeOutcome.Refused(reason);
    }

    /// <summary>The outcome entry: the data is stored by now, so a failure here is logged (the verifier flags the intent).</summary>
    private async Task CompleteAsync(AuditIntent intent, AuditActor actor, AuditOutcome outcome, AuditTarget target, TransferPackage? package)
    {
        try
        {
            await audit.CompleteAsync(intent, actor, outcome, [], breakGlass: false, CancellationToken.None, package?.EntryIds().ToList(), package is null ? target : target with { FileHashes = package.FileHashes() });
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Transfer intake: the audit outcome could not be written (intent {AuditEntryId})", intent.EntryId);
        }
    }

    private static IncomingTransferEntity Row(TransferRouting routing, DateTimeOffset createdAt, DateTimeOffset receivedAt, string sha256, int length) => new()
    {
        PartitionKey = routing.SenderCode,
        RowKey = routing.MessageId,
        Kind = routing.Kind,
        CreatedAt = createdAt,
        ReceivedAt = receivedAt,
        Sha256 = sha256,
        Length = length,
    };
}
