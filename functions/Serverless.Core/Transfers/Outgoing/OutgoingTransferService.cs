using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Transfers.CarriedFiles;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Identity;
using Serverless.Time;
using Serverless.Transfers.Incoming;
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
    TransferSigning signing,
    TransferDeliveryQueue queue,
    TransferFileSender carriedFiles,
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
        if (string.IsNullOrWhiteSpace(ownCode) || !signing.IsConfigured)
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
        var entryCount = package.Timeline.Count;
        var fileCount = package.FileHashes().Count;
        if (entryCount > IncomingTransferLimits.MaxEntries || fileCount > IncomingTransferLimits.MaxFiles)
        {
            // The receiver's intake would refuse it: refused here, before anything is sealed or stored.
            logger.LogInformation("Case {CaseId} not sealed for transfer: {EntryCount} entries, {FileCount} files over the limits", caseId, entryCount, fileCount);
            return new CaseOutcome<OutgoingTransferReceipt>.Refused(
                ProblemCatalogue.TransfersPackageTooLarge,
                OutgoingTransferRefusals.PackageTooLarge,
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["entries"] = entryCount.ToString(CultureInfo.InvariantCulture),
                    ["files"] = fileCount.ToString(CultureInfo.InvariantCulture),
                    ["maxEntries"] = IncomingTransferLimits.MaxEntries.ToString(CultureInfo.InvariantCulture),
                    ["maxFiles"] = IncomingTransferLimits.MaxFiles.ToString(CultureInfo.InvariantCulture),
                });
        }

        var message = new TransferMessage(TransferMessageKind.Package, TransferIds.NewMessageId(), ownCode, receiverCode, now, package.ToJson());
        byte[] sealedBytes;
        var signer = signing.Create();
        using (signer as IDisposable)
        using (var receiverKey = PartnerKeys.ImportEncryptionKey(partner.EncryptionKeyPem, out _)
            ?? throw new InvalidOperationException($"Partner {receiverCode}'s stored encryption key cannot be read."))
        {
            sealedBytes = await TransferEnvelope.SealAsync(message, signer, receiverKey, cancellationToken);
        }

        // Persist first: the files to send after it, the sealed bytes, the row, the case's pointer; the queue carries the
        // message id only.
        await carriedFiles.RecordAsync(message.MessageId, caseId, receiverCode, package, cancellationToken);
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
    /// The seam the intake calls when the partner's signed acknowledgement of <paramref name="messageId"/> arrives (its
    /// signature already checked against <paramref name="receiverCode"/>'s key). Idempotent; false for a message this
    /// council did not send to that council.
    /// </summary>
    public async Task<bool> MarkAcknowledgedAsync(string messageId, string receiverCode, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken)
        => await MarkAcknowledgedAsync(messageId, receiverCode, acknowledgedAt, acknowledgedBy: null, cancellationToken) != TransferAnswerApplied.NotOurs;

    /// <summary>
    /// The partner's signed acknowledgement: the transfer becomes <c>acknowledged</c> with when and by whom (the case may
    /// then close as 移管; the deadline timer stops chasing it). A failed delivery is cleared (the package evidently
    /// arrived); a more-requested one is answered. A withdrawn transfer is not changed (<see cref="TransferAnswerApplied.Ignored"/>);
    /// an acknowledged one stays as first acknowledged.
    /// </summary>
    public async Task<TransferAnswerApplied> MarkAcknowledgedAsync(string messageId, string receiverCode, DateTimeOffset acknowledgedAt, string? acknowledgedBy, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = TransferIds.IsMessageId(messageId) ? await store.GetAsync(messageId, cancellationToken) : null;
            if (row is null || row.ReceiverCode != receiverCode)
            {
                return TransferAnswerApplied.NotOurs;
            }

            switch (row.State)
            {
                case OutgoingTransferStates.Acknowledged:
                    return TransferAnswerApplied.Applied;
                case OutgoingTransferStates.Withdrawn:
                    logger.LogWarning("Transfer {MessageId} of case {CaseId}: acknowledged by {MunicipalityCode} after it was withdrawn; left withdrawn", messageId, row.CaseId, receiverCode);
                    return TransferAnswerApplied.Ignored;
            }

            var before = row.State;
            row.State = OutgoingTransferStates.Acknowledged;
            row.AcknowledgedAt = acknowledgedAt;
            row.AcknowledgedBy = acknowledgedBy;
            row.LastFailure = null;
            row.DeliveringUntil = null;
            if (await store.UpdateAsync(row, cancellationToken))
            {
                logger.LogInformation("Transfer {MessageId} of case {CaseId} acknowledged by {MunicipalityCode} ({State} before)", messageId, row.CaseId, receiverCode, before);
                return TransferAnswerApplied.Applied;
            }
        }
    }

    /// <summary>
    /// The partner's signed more-request: kept on the transfer (a repeat of the same answer message is not kept twice) and
    /// the state becomes <c>more-requested</c> unless already acknowledged (then it stays so, with the request kept). A
    /// withdrawn transfer is not changed.
    /// </summary>
    public async Task<TransferAnswerApplied> MarkMoreRequestedAsync(string messageId, string receiverCode, TransferMoreRequestView request, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = TransferIds.IsMessageId(messageId) ? await store.GetAsync(messageId, cancellationToken) : null;
            if (row is null || row.ReceiverCode != receiverCode)
            {
                return TransferAnswerApplied.NotOurs;
            }

            if (row.State == OutgoingTransferStates.Withdrawn)
            {
                logger.LogWarning("Transfer {MessageId} of case {CaseId}: more requested by {MunicipalityCode} after it was withdrawn; left withdrawn", messageId, row.CaseId, receiverCode);
                return TransferAnswerApplied.Ignored;
            }

            if (TransferMoreRequests.With(row.MoreRequests, request) is not { } updated)
            {
                return TransferAnswerApplied.Applied;
            }

            row.MoreRequests = updated;
            if (row.State != OutgoingTransferStates.Acknowledged)
            {
                row.State = OutgoingTransferStates.MoreRequested;
                row.LastFailure = null;
                row.DeliveringUntil = null;
            }

            if (await store.UpdateAsync(row, cancellationToken))
            {
                logger.LogInformation("Transfer {MessageId} of case {CaseId}: more requested by {MunicipalityCode} (answer {AnswerMessageId})", messageId, row.CaseId, receiverCode, request.MessageId);
                return TransferAnswerApplied.Applied;
            }
        }
    }

    /// <summary>The seam for recording the face-to-face hand-over (対面引継ぎ) as done on <paramref name="on"/> (the route,
    /// <see cref="RecordHandoverAsync"/>, adds the case gate and the date's checks). False for an unknown message.</summary>
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

    /// <summary>
    /// <c>POST …/transfers/{messageId}/handover</c>: the face-to-face hand-over (対面引継ぎ) done on the date given (Japan;
    /// not in the future, not before the transfer was sent). Through the case gate; a message id that is not one of this
    /// case's transfers is 404 like a missing case. Recording again replaces the date.
    /// </summary>
    public async Task<CaseOutcome<CaseTransferView>> RecordHandoverAsync(Caller caller, string caseId, string messageId, RecordHandoverRequest? request, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done)
        {
            return gated.As<CaseTransferView>();
        }

        var row = await OfCaseAsync(caseId, messageId, cancellationToken);
        if (row is null)
        {
            return new CaseOutcome<CaseTransferView>.NotFound();
        }

        if (request is null)
        {
            return new CaseOutcome<CaseTransferView>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.date", request.Date);
        if (request.Date is { } date)
        {
            if (date > JapanTime.Today(clock))
            {
                errors.Add("$.date", FieldRules.FutureDate);
            }
            else if (date < JapanTime.DateOf(row.CreatedAt))
            {
                errors.Add("$.date", FieldRules.DateOrder);
            }
        }

        if (errors.Any)
        {
            return new CaseOutcome<CaseTransferView>.Invalid(errors.All);
        }

        caller.Audit.Targeted(new AuditTarget(MunicipalityCode: row.ReceiverCode, MessageId: row.RowKey));
        while (true)
        {
            if (!OutgoingTransferStates.IsActive(row.State))
            {
                return new CaseOutcome<CaseTransferView>.Refused(ProblemCatalogue.TransfersNotActive);
            }

            row.HandedOverOn = request.Date!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (await store.UpdateAsync(row, cancellationToken))
            {
                logger.LogInformation("Transfer {MessageId} of case {CaseId}: face-to-face hand-over recorded by {CallerId}", row.RowKey, caseId, caller.Id);
                return new CaseOutcome<CaseTransferView>.Done(row.ToView());
            }

            row = await store.GetAsync(messageId, cancellationToken) ?? throw new InvalidOperationException($"Transfer {messageId} vanished while being changed.");
        }
    }

    /// <summary>
    /// <c>POST …/transfers/{messageId}/withdrawal</c>: the sending coordinator takes a transfer back while it is queued,
    /// delivered or failed (an acknowledged one: 409 <c>transfers.already-acknowledged</c>). The state becomes
    /// <c>withdrawn</c> at the row's ETag: the case is free for a new send, the deadline timer stops chasing it and a
    /// queued delivery posts nothing. Withdrawing again answers the withdrawn transfer (the first reason stands). The
    /// receiving council is not told yet (a withdrawal message kind is for later).
    /// </summary>
    public async Task<CaseOutcome<CaseTransferView>> WithdrawAsync(Caller caller, string caseId, string messageId, WithdrawTransferRequest? request, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done)
        {
            return gated.As<CaseTransferView>();
        }

        var row = await OfCaseAsync(caseId, messageId, cancellationToken);
        if (row is null)
        {
            return new CaseOutcome<CaseTransferView>.NotFound();
        }

        if (request is null)
        {
            return new CaseOutcome<CaseTransferView>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.reason", string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason);
        errors.Text("$.reason", request.Reason, OutgoingTransferLimits.MaxWithdrawalReasonLength, multiline: true);
        if (errors.Any)
        {
            return new CaseOutcome<CaseTransferView>.Invalid(errors.All);
        }

        caller.Audit.Targeted(new AuditTarget(MunicipalityCode: row.ReceiverCode, MessageId: row.RowKey));
        while (true)
        {
            switch (row.State)
            {
                case OutgoingTransferStates.Acknowledged:
                    return new CaseOutcome<CaseTransferView>.Refused(ProblemCatalogue.TransfersAlreadyAcknowledged);
                case OutgoingTransferStates.Withdrawn:
                    return new CaseOutcome<CaseTransferView>.Done(row.ToView());
            }

            var before = row.State;
            row.State = OutgoingTransferStates.Withdrawn;
            row.WithdrawnAt = clock.GetUtcNow();
            row.WithdrawnBy = caller.Id;
            row.WithdrawalReason = request.Reason!.Trim();
            if (await store.UpdateAsync(row, cancellationToken))
            {
                logger.LogInformation("Transfer {MessageId} of case {CaseId} withdrawn ({State} before) by {CallerId}", row.RowKey, caseId, before, caller.Id);
                return new CaseOutcome<CaseTransferView>.Done(row.ToView());
            }

            row = await store.GetAsync(messageId, cancellationToken) ?? throw new InvalidOperationException($"Transfer {messageId} vanished while being changed.");
        }
    }

    /// <summary>The transfer <paramref name="messageId"/> when it is one of <paramref name="caseId"/>'s, else null.</summary>
    private async Task<OutgoingTransferEntity?> OfCaseAsync(string caseId, string messageId, CancellationToken cancellationToken)
        => TransferIds.IsMessageId(messageId) && await store.GetAsync(messageId, cancellationToken) is { } row && row.CaseId == caseId ? row : null;

    private ValidationErrors Validate(SendTransferRequest request)
    {
        var errors = new ValidationErrors();
        errors.Required("$.receiverMunicipalityCode", request.ReceiverMunicipalityCode);
        if (request.ReceiverMunicipalityCode is { } code && !MunicipalityCode.IsValid(code))
        {
            errors.Add("$.receiverMunicipalityCode", FieldRules.InvalidId);
        }

        ValidateHandover(errors, request.Reason, request.RiskLevel, request.Summary, request.FaceToFace);
        return errors;
    }

    /// <summary>The hand-over's fields, shared by a send and an export file (<see cref="Files.TransferFileExport"/>).</summary>
    internal static void ValidateHandover(ValidationErrors errors, TransferReasonInput? reasonInput, RiskLevel? riskLevel, string? summary, FaceToFaceInput? faceToFaceInput)
    {
        errors.Required("$.reason", reasonInput);
        if (reasonInput is { } reason)
        {
            errors.Required("$.reason.kind", reason.Kind);
            if (reason.Kind is not null && reason.Kind != OutgoingTransferLimits.FamilyMove)
            {
                errors.Add("$.reason.kind", FieldRules.InvalidValue);
            }

            errors.Text("$.reason.newArea", reason.NewArea, OutgoingTransferLimits.MaxNewAreaLength);
        }

        errors.Required("$.riskLevel", riskLevel);
        errors.Required("$.summary", string.IsNullOrWhiteSpace(summary) ? null : summary);
        errors.Text("$.summary", summary, OutgoingTransferLimits.MaxSummaryLength, multiline: true);
        errors.Required("$.faceToFace", faceToFaceInput);
        if (faceToFaceInput is { } faceToFace)
        {
            errors.Required("$.faceToFace.arranged", faceToFace.Arranged);
            if (riskLevel is { } risk && OutgoingTransferRules.IsHighRisk(risk))
            {
                errors.Required("$.faceToFace.date", faceToFace.Date);
            }
        }
    }
}
