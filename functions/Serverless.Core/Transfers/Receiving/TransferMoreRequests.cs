using Microsoft.Extensions.Logging;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Problems;
using Serverless.Transfers.Answers;
using Serverless.Transfers.Incoming;
using Serverless.Validation;

namespace Serverless.Transfers.Receiving;

/// <summary>
/// <c>POST /api/transfers/incoming/{sender}/{messageId}/more-requests</c>: a coordinator asks the sender for more before
/// accepting. Persisted on the row first (state <c>more-requested</c>, the text, who and when), then handed to the answer
/// outbox. The same request again (a retry) sends the same answer (same time), which the outbox takes once; another text
/// is a new request. The package stays open for acceptance; once accepting or accepted: 409 <c>transfers.already-decided</c>.
/// </summary>
public sealed class TransferMoreRequests(IncomingTransferStore store, PeopleDirectory people, ITransferAnswerOutbox outbox, TimeProvider clock, ILogger<TransferMoreRequests> logger)
{
    public async Task<CaseOutcome<IncomingTransferStatusView>> RequestAsync(Caller caller, string senderCode, string messageId, TransferMoreRequest? request, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<IncomingTransferStatusView>.Forbidden();
        }

        if (await IncomingTransferReader.FindAsync(store, senderCode, messageId, cancellationToken) is not { } row)
        {
            return new CaseOutcome<IncomingTransferStatusView>.NotFound();
        }

        if (request is null)
        {
            return new CaseOutcome<IncomingTransferStatusView>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.request", request.Request);
        errors.Text("$.request", request.Request, ReceivingLimits.MaxMoreRequestLength, multiline: true);
        if (errors.Any)
        {
            return new CaseOutcome<IncomingTransferStatusView>.Invalid(errors.All);
        }

        caller.Audit.Targeted(new AuditTarget(MunicipalityCode: senderCode, MessageId: messageId));
        while (!(row.State == IncomingTransferStates.MoreRequested && row.MoreRequest == request.Request))
        {
            if (row.State is IncomingTransferStates.Accepting or IncomingTransferStates.Accepted)
            {
                return new CaseOutcome<IncomingTransferStatusView>.Refused(ProblemCatalogue.TransfersAlreadyDecided);
            }

            row.State = IncomingTransferStates.MoreRequested;
            row.MoreRequest = request.Request;
            row.MoreRequestedAt = clock.GetUtcNow();
            row.MoreRequestedBy = caller.Id;
            if (!await store.ReplaceAsync(row, cancellationToken))
            {
                row = await store.GetAsync(senderCode, messageId, cancellationToken) ?? throw new InvalidOperationException($"Incoming transfer {messageId} vanished.");
            }
        }

        var askedBy = (await people.FindAsync(row.MoreRequestedBy ?? caller.Id, cancellationToken)).Profile?.DisplayName ?? caller.Id;
        await outbox.SendAsync(new TransferAnswer(senderCode, messageId, TransferAnswerKinds.MoreRequest, row.MoreRequestedAt!.Value, askedBy, row.MoreRequest), cancellationToken);
        logger.LogInformation("More requested on transfer {MessageId} from {MunicipalityCode} by {CallerId}", messageId, senderCode, caller.Id);
        return new CaseOutcome<IncomingTransferStatusView>.Done(new IncomingTransferStatusView(messageId, senderCode, row.State, Time.JapanTime.ToJapan(row.MoreRequestedAt.Value)));
    }
}
