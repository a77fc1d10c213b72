using Microsoft.Extensions.Logging;
using Serverless.Audit;
using Serverless.Notifications;
using Serverless.Referrals;
using Serverless.Time;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Outgoing;

namespace Serverless.Transfers.Answers;

/// <summary>
/// A partner's answer to a package this council sent, as the intake hands it over once opened and verified (kind
/// <c>acknowledgement</c> or <c>more-request</c>). Refused (nothing stored; the intake audits and answers the same 403 as
/// every refusal) when the payload is not a well-formed answer of the message's kind, or names a package this council
/// never sent to that partner. Otherwise, fail closed: the audit intent, the row in <c>TransferAnswersReceived</c>
/// (insert-only on the partner and the answer's message id), then the outgoing transfer: acknowledged (who, when), or
/// more-requested with the request kept and the coordinators told urgently. A repeat of the same message (a delivery
/// retried after a lost answer) stores nothing new and applies idempotently, so it is answered 202 again.
/// </summary>
public sealed class TransferAnswerIntake(
    ReceivedTransferAnswerStore received,
    OutgoingTransferStore outgoing,
    OutgoingTransferService transfers,
    IEscalationRecipients coordinators,
    NotificationInbox inbox,
    AgencyChannels channels,
    IAuditTrail audit,
    TimeProvider clock,
    ILogger<TransferAnswerIntake> logger)
{
    /// <summary>Answer kinds: the intake's branch to this class.</summary>
    public static bool IsAnswer(string kind) => TransferAnswerLimits.IsKind(kind);

    /// <returns><see cref="IntakeOutcome.Accepted"/>, or <see cref="IntakeOutcome.Refused"/> not yet audited (the intake does).</returns>
    public async Task<IntakeOutcome> ReceiveAsync(TransferMessage message, string sha256, AuditRequest request, CancellationToken cancellationToken)
    {
        var answer = TransferAnswerPayload.Parse(message.Payload);
        if (answer is null || answer.Kind != message.Kind)
        {
            return new IntakeOutcome.Refused(IntakeRefusals.NotAnAnswer);
        }

        var transfer = await outgoing.GetAsync(answer.PackageMessageId, cancellationToken);
        if (transfer is null || transfer.ReceiverCode != message.SenderCode)
        {
            return new IntakeOutcome.Refused(IntakeRefusals.UnknownPackage);
        }

        var actor = new AuditActor(AuditActorKind.Partner, message.SenderCode, null, null);
        var target = new AuditTarget(MunicipalityCode: message.SenderCode, MessageId: message.MessageId);
        var intent = await audit.BeginAsync(actor, request, AuditActions.TransferAnswerReceive, null, null, breakGlass: false, cancellationToken, target);
        var now = clock.GetUtcNow();
        try
        {
            var row = new ReceivedTransferAnswerEntity
            {
                PartitionKey = message.SenderCode,
                RowKey = message.MessageId,
                PackageMessageId = answer.PackageMessageId,
                CaseId = transfer.CaseId,
                Kind = answer.Kind,
                AnsweredAt = answer.AnsweredAt,
                AnsweredByName = answer.AnsweredByName.Trim(),
                Request = answer.Request?.Trim(),
                CreatedAt = message.CreatedAt,
                ReceivedAt = now,
                Sha256 = sha256,
            };
            var first = await received.TryInsertAsync(row, cancellationToken);
            if (!first)
            {
                // A repeat: what was stored first stands; applying it again changes nothing that is already there.
                row = await received.GetAsync(message.SenderCode, message.MessageId, cancellationToken) ?? row;
            }

            var applied = await ApplyAsync(row, transfer.CaseId, now, cancellationToken);
            await CompleteAsync(intent, actor, AuditOutcome.Succeeded, target);
            logger.LogInformation(
                "Transfer answer {MessageId} ({Kind}) from {MunicipalityCode} for transfer {PackageMessageId} of case {CaseId}: {Applied}{Repeat}",
                message.MessageId, row.Kind, message.SenderCode, row.PackageMessageId, transfer.CaseId, applied, first ? "" : " (a repeat)");
            return new IntakeOutcome.Accepted(new IncomingTransferReceipt(message.MessageId, JapanTime.ToJapan(row.ReceivedAt), row.Sha256));
        }
        catch (Exception)
        {
            await CompleteAsync(intent, actor, AuditOutcome.Failed, target);
            throw;
        }
    }

    private async Task<TransferAnswerApplied> ApplyAsync(ReceivedTransferAnswerEntity row, string caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (row.Kind == TransferAnswerKinds.Acknowledgement)
        {
            return await transfers.MarkAcknowledgedAsync(row.PackageMessageId, row.PartitionKey, row.AnsweredAt, row.AnsweredByName, cancellationToken);
        }

        var applied = await transfers.MarkMoreRequestedAsync(
            row.PackageMessageId, row.PartitionKey, new TransferMoreRequestView(row.RowKey, row.AnsweredAt, row.AnsweredByName, row.Request ?? ""), cancellationToken);
        if (applied == TransferAnswerApplied.Applied)
        {
            // Sent once however often the answer arrives: the notification's id is fixed by the answer's message id.
            var about = $"{row.PackageMessageId}/more-request/{row.RowKey}";
            var at = row.ReceivedAt;
            var recipients = await coordinators.RecipientsAtAsync(now, cancellationToken);
            var notification = new Notification(
                NotificationInbox.IdFor(at, about), NotificationKinds.TransferMoreRequested, caseId, GrantId: null,
                NotificationKinds.SystemActor, ActorAgencyId: "", at, Urgent: true);
            await inbox.SendOnceAsync(recipients, notification, cancellationToken);
            await channels.TellAgenciesOfAsync(recipients, about, notification.Kind, urgent: true, at, cancellationToken);
        }

        return applied;
    }

    /// <summary>The outcome entry: the data is stored by now, so a failure here is logged (the verifier flags the intent).</summary>
    private async Task CompleteAsync(AuditIntent intent, AuditActor actor, AuditOutcome outcome, AuditTarget target)
    {
        try
        {
            await audit.CompleteAsync(intent, actor, outcome, [], breakGlass: false, CancellationToken.None, null, target);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Transfer answer intake: the audit outcome could not be written (intent {AuditEntryId})", intent.EntryId);
        }
    }
}
