using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Transfers.Outgoing;

namespace Serverless.Functions.Transfers;

/// <summary>Sending a case to a partner council (移管): the request through the case gate, and the queued delivery.</summary>
public sealed class OutgoingTransferFunctions(HttpEndpoint endpoint, OutgoingTransferService transfers, TransferDelivery delivery, TransferDeadlines deadlines)
{
    [Function("SendTransfer")]
    [ApiOperation("Hand the case over to a confirmed partner council (移管): the receiving municipality code, the reason (kind family-move, the new area as far as known), the risk level, a hand-over summary (1–4000 characters) and the face-to-face hand-over (対面引継ぎ; its date is required for high or critical risk). The package (the case record, the timeline with its files' SHA-256, the latest review, the location and referrer secrecy flags) is signed with this council's key, encrypted to the partner's, stored, and queued for delivery: 202 with the transfer's message id and state. One transfer at a time per open case; the disclosure is in the case's audit with the entry ids and file hashes it carried.", Tag = "transfers", Access = "coordinator", RequestBody = typeof(SendTransferRequest))]
    [ApiResponse(202, typeof(OutgoingTransferReceipt))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "transfers.partner-not-confirmed", "transfers.already-transferring", "transfers.case-closed", "transfers.not-configured")]
    public Task<IActionResult> Send(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/transfers")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferPackageSend, caseId, async (context, caller) =>
        {
            // A body that cannot be read is reported only after the case is found visible (404 first).
            var body = await JsonBody.ReadAsync<SendTransferRequest>(request, context, OutgoingTransferLimits.MaxBodyBytes);
            var outcome = await transfers.SendAsync(caller, caseId, body.Value, cancellationToken);
            return outcome is CaseOutcome<OutgoingTransferReceipt>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, receipt => new ApiResult(StatusCodes.Status202Accepted, receipt));
        });

    /// <summary>Delivers one sealed package; a failure throws, so the host retries and then dead-letters it.</summary>
    [Function("TransferDelivery")]
    public Task Deliver([QueueTrigger(TransferDeliveryQueue.Name)] string message, CancellationToken cancellationToken)
        => delivery.DeliverQueuedAsync(message, cancellationToken);

    public const string DeadlineSchedule = "0 */15 * * * *";

    /// <summary>Every 15 minutes: alerts the coordinators about transfers past their acknowledgement deadline, once a day each.</summary>
    [Function("TransferDeadlines")]
    public Task Deadlines([TimerTrigger(DeadlineSchedule)] TimerInfo timer, CancellationToken cancellationToken)
        => deadlines.RunAsync(cancellationToken);
}
