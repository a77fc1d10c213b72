using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Packages;
using Serverless.Transfers.Partners;
using Serverless.Validation;

namespace Serverless.Transfers.Outgoing;

/// <summary>
/// Sending a case to a partner council (移管). The case gate first (a hidden case is 404; only a coordinator may), then
/// the request, the partner (confirmed only), the case (open, no active transfer); then the package is built, sealed
/// (signed with our key, encrypted to the partner's) and persisted before anything is queued: the sealed bytes, the
/// row, the case's pointer; only then the message id goes on <c>transfer-deliveries</c>.
/// </summary>
public sealed class OutgoingTransferService(
    CaseGate gate,
    TransferPartnerStore partners,
    OutgoingTransferStore store,
    TransferPackageBuilder builder,
    TransferDeliveryQueue queue,
    IOptions<TransferOptions> options,
    IOptions<AcknowledgeWithinHoursOptions> deadlines,
    TimeProvider clock,
    ILogger<OutgoingTransferService> logger)
{
    /// <param name="request">Null when the body could not be read (said only after the gate let the caller in).</param>
    public async Task<CaseOutcome<OutgoingTransferReceipt>> SendAsync(Caller caller, string caseId, SendTransferRequest? request, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<OutgoingTransferReceipt>();
        }

        if (request is null)
        {
            return new CaseOutcome<OutgoingTransferReceipt>.Unreadable();
        }

        var errors = Validate(request);
        if (errors.Any)
        {
            return new CaseOutcome<OutgoingTransferReceipt>.Invalid(errors.All);
        }

        var settings = options.Value;
        var ownCode = settings.MunicipalityCode?.Trim();
        if (string.IsNullOrWhiteSpace(ownCode) || string.IsNullOrWhiteSpace(settings.SigningKeyPem))
        {
            return new CaseOutcome<OutgoingTransferReceipt>.Refused(ProblemCatalogue.TransfersNotConfigured);
        }

        var receiverCode = request.ReceiverMunicipalityCode!;
        var partner = await partners.ConfirmedAsync(receiverCode, cancellationToken);
        if (partner is null)
        {
            return new CaseOutcome<OutgoingTransferReceipt>.Refused(ProblemCatalogue.TransfersPartnerNotConfirmed);
        }

        if (open.Record.Status == CaseStatus.Closed)
        {
            return new CaseOutcome<OutgoingTransferReceipt>.Refused(ProblemCatalogue.TransfersCaseClosed);
        }

        if (await store.CurrentForCaseAsync(caseId, cancellationToken) is { } current && OutgoingTransferStates.IsActive(current.State))
        {
            return new CaseOutcome<OutgoingTransferReceipt>.Refused(ProblemCatalogue.TransfersAlreadyTransferring);
        }

        var now = clock.GetUtcNow();
        var risk = request.RiskLevel!.Value;
        var deadline = now + deadlines.Value.For(risk);
        var faceToFace = request.FaceToFace;
        var handover = new TransferHandover(
            request.Reason!.Kind!, string.IsNullOrWhiteSpace(request.Reason.NewArea) ? null : request.Reason.NewArea.Trim(), risk, request.Summary!.Trim(),
            faceToFace?.Arranged ?? false, faceToFace?.Date, deadline);
        var package = await builder.BuildAsync(caller, open, handover, cancellationToken);
        var message = new TransferMessage(TransferMessageKind.Package, TransferIds.NewMessageId(), ownCode, receiverCode, now, package.ToJson());
        byte[] sealedBytes;
        using (var signer = new PemManifestSigner(settings.SigningKeyPem, "Transfers:SigningKeyPem"))
        using (var receiverKey = PartnerKeys.ImportEncryptionKey(partner.EncryptionKeyPem, out _)
            ?? throw new InvalidOperationException($"Partner {receiverCode}'s stored encryption key cannot be read."))
        {
            sealedBytes = await TransferEnvelope.SealAsync(message, signer, receiverKey, cancellationToken);
        }

        // Persist first: the sealed bytes, the row, the case's pointer; the queue carries the message id only.
        await store.WriteSealedAsync(message.MessageId, sealedBytes, cancellationToken);
        await store.InsertAsync(
            new OutgoingTransferEntity
            {
                RowKey = message.MessageId,
                CaseId = caseId,
                SenderCode = ownCode,
                ReceiverCode = receiverCode,
                RiskLevel = Entries.EntryRows.Name(risk),
                State = OutgoingTransferStates.Queued,
                CreatedAt = now,
                CreatedBy = caller.Id,
                AcknowledgementDeadline = deadline,
                FaceToFaceArranged = faceToFace?.Arranged ?? false,
                FaceToFaceDate = faceToFace?.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                SealedSha256 = Convert.ToHexStringLower(SHA256.HashData(sealedBytes)),
            },
            cancellationToken);
        if (!await store.ClaimCaseAsync(caseId, message.MessageId, cancellationToken))
        {
            await store.DiscardAsync(message.MessageId, cancellationToken); // another send won the case meanwhile
            return new CaseOutcome<OutgoingTransferReceipt>.Refused(ProblemCatalogue.TransfersAlreadyTransferring);
        }

        caller.Audit.TouchedEntries(package.EntryIds());
        caller.Audit.Targeted(new AuditTarget(MunicipalityCode: receiverCode, MessageId: message.MessageId, FileHashes: package.FileHashes()));
        await queue.SendAsync(message.MessageId, cancellationToken);
        logger.LogInformation(
            "Case {CaseId} sealed for transfer {MessageId} to {MunicipalityCode} by {CallerId}: {EntryCount} entries, {FileCount} files",
            caseId, message.MessageId, receiverCode, caller.Id, package.Timeline.Count, package.FileHashes().Count);
        return new CaseOutcome<OutgoingTransferReceipt>.Done(new OutgoingTransferReceipt(message.MessageId, message.MessageId, OutgoingTransferStates.Queued, deadline));
    }

    /// <summary>The case's current transfer for its coordinators' view of the case, or null when it has none active.</summary>
    public async Task<CaseTransferView?> ViewForCaseAsync(string caseId, CancellationToken cancellationToken)
        => await store.CurrentForCaseAsync(caseId, cancellationToken) is { } row && OutgoingTransferStates.IsActive(row.State) ? row.ToView() : null;

    /// <summary>
    /// Whether the case may close with the outcome 移管: refused (<c>transfers.not-acknowledged</c>) while its transfer is
    /// not acknowledged, or for a high-risk case while the face-to-face hand-over is not recorded. A case with no
    /// transfer sent through this system (a paper hand-over) closes as before.
    /// </summary>
    public async Task<ProblemCode?> TransferClosureRefusalAsync(string caseId, CancellationToken cancellationToken)
    {
        var row = await store.CurrentForCaseAsync(caseId, cancellationToken);
        if (row is null || !OutgoingTransferStates.IsActive(row.State))
        {
            return null;
        }

        var highRisk = Enum.TryParse<RiskLevel>(row.RiskLevel, ignoreCase: true, out var risk) && OutgoingTransferRules.IsHighRisk(risk);
        return row.State != OutgoingTransferStates.Acknowledged || (highRisk && row.HandedOverOn is null) ? ProblemCatalogue.TransfersNotAcknowledged : null;
    }

    /// <summary>
    /// The seam the receiving side calls when the partner's signed acknowledgement of <paramref name="messageId"/> arrives
    /// (its signature already checked against <paramref name="receiverCode"/>'s key). Idempotent; false for a message this
    /// council did not send to that council.
    /// </summary>
    public async Task<bool> MarkAcknowledgedAsync(string messageId, string receiverCode, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = TransferIds.IsMessageId(messageId) ? await store.GetAsync(messageId, cancellationToken) : null;
            if (row is null || row.ReceiverCode != receiverCode)
            {
                return false;
            }

            if (row.State == OutgoingTransferStates.Acknowledged)
            {
                return true;
            }

            row.State = OutgoingTransferStates.Acknowledged;
            row.AcknowledgedAt = acknowledgedAt;
            if (await store.UpdateAsync(row, cancellationToken))
            {
                logger.LogInformation("Transfer {MessageId} of case {CaseId} acknowledged by {MunicipalityCode}", messageId, row.CaseId, receiverCode);
                return true;
            }
        }
    }

    /// <summary>The seam for recording the face-to-face hand-over (対面引継ぎ) as done on <paramref name="on"/> (the route that
    /// records it is not built yet). False for an unknown message.</summary>
    public async Task<bool> MarkHandedOverAsync(string messageId, DateOnly on, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = TransferIds.IsMessageId(messageId) ? await store.GetAsync(messageId, cancellationToken) : null;
            if (row is null)
            {
                return false;
            }

            row.HandedOverOn = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (await store.UpdateAsync(row, cancellationToken))
            {
                return true;
            }
        }
    }

    private ValidationErrors Validate(SendTransferRequest request)
    {
        var errors = new ValidationErrors();
        errors.Required("$.receiverMunicipalityCode", request.ReceiverMunicipalityCode);
        if (request.ReceiverMunicipalityCode is { } code && !MunicipalityCode.IsValid(code))
        {
            errors.Add("$.receiverMunicipalityCode", FieldRules.InvalidId);
        }

        errors.Required("$.reason", request.Reason);
        if (request.Reason is { } reason)
        {
            errors.Required("$.reason.kind", reason.Kind);
            if (reason.Kind is not null && reason.Kind != OutgoingTransferLimits.FamilyMove)
            {
                errors.Add("$.reason.kind", FieldRules.InvalidValue);
            }

            errors.Text("$.reason.newArea", reason.NewArea, OutgoingTransferLimits.MaxNewAreaLength);
        }

        errors.Required("$.riskLevel", request.RiskLevel);
        errors.Required("$.summary", string.IsNullOrWhiteSpace(request.Summary) ? null : request.Summary);
        errors.Text("$.summary", request.Summary, OutgoingTransferLimits.MaxSummaryLength, multiline: true);
        errors.Required("$.faceToFace", request.FaceToFace);
        if (request.FaceToFace is { } faceToFace)
        {
            errors.Required("$.faceToFace.arranged", faceToFace.Arranged);
            if (request.RiskLevel is { } risk && OutgoingTransferRules.IsHighRisk(risk))
            {
                errors.Required("$.faceToFace.date", faceToFace.Date);
            }
        }

        return errors;
    }
}
