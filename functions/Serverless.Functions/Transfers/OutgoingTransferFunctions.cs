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
public sealed class OutgoingTransferFunctions(HttpEndpoint endpoint, OutgoingTransferService transfers, TransferDelivery delivery, TransferDeadlines deadlines, TransferRequeue requeue)
{
    [Function("SendTransfer")]
    [ApiOperation("Hand the case over to a confirmed partner council (移管): the receiving municipality code, the reason (kind family-move, the new area as far as known), the risk level, a hand-over summary (1–4000 characters) and the face-to-face hand-over (対面引継ぎ; its date is required for high or critical risk). The package (the case record, the timeline with its files' SHA-256, the latest review, the location and referrer secrecy flags) is signed with this council's key, encrypted to the partner's, stored, and queued for delivery: 202 with the transfer's message id and state. One transfer at a time per open case; a package over what a receiving council accepts (1,000 timeline entries, 400 file references) is refused before anything is sealed (409 transfers.package-too-large, the counts in the detail). The disclosure is in the case's audit with the entry ids and file hashes it carried.", Tag = "transfers", Access = "coordinator", RequestBody = typeof(SendTransferRequest))]
    [ApiResponse(202, typeof(OutgoingTransferReceipt))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "transfers.partner-not-confirmed", "transfers.already-transferring", "transfers.case-closed", "transfers.not-configured", "transfers.package-too-large")]
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

    [Function("RecordTransferHandover")]
    [ApiOperation("Record the face-to-face hand-over (対面引継ぎ) of one of the case's transfers as done on a date (yyyy-MM-dd, Japan; not in the future, not before the transfer was sent). A high-risk case closes as transferred only once it is recorded. 200 with the transfer as the case shows it. A message id that is not one of this case's transfers is 404 like a missing case; a withdrawn or failed transfer is 409 transfers.not-active.", Tag = "transfers", Access = "coordinator", RequestBody = typeof(RecordHandoverRequest))]
    [ApiResponse(200, typeof(CaseTransferView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "transfers.not-active")]
    public Task<IActionResult> RecordHandover(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/transfers/{messageId}/handover")] HttpRequest request,
        string caseId,
        string messageId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferHandoverRecord, caseId, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<RecordHandoverRequest>(request, context, OutgoingTransferLimits.MaxActionBodyBytes);
            var outcome = await transfers.RecordHandoverAsync(caller, caseId, messageId, body.Value, cancellationToken);
            return outcome is CaseOutcome<CaseTransferView>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, view => new ApiResult(StatusCodes.Status200OK, view));
        });

    [Function("WithdrawTransfer")]
    [ApiOperation("Withdraw one of the case's transfers not yet acknowledged (queued, delivered or failed), with a reason (1–500 characters). The transfer becomes withdrawn: the case may be sent again, the acknowledgement deadline is no longer chased and a delivery still queued posts nothing. The receiving council is not told by this system yet. 200 with the transfer; again on a withdrawn one answers it unchanged. An acknowledged transfer is 409 transfers.already-acknowledged; a message id that is not one of this case's transfers is 404 like a missing case.", Tag = "transfers", Access = "coordinator", RequestBody = typeof(WithdrawTransferRequest))]
    [ApiResponse(200, typeof(CaseTransferView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "transfers.already-acknowledged")]
    public Task<IActionResult> Withdraw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/transfers/{messageId}/withdrawal")] HttpRequest request,
        string caseId,
        string messageId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferWithdraw, caseId, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<WithdrawTransferRequest>(request, context, OutgoingTransferLimits.MaxActionBodyBytes);
            var outcome = await transfers.WithdrawAsync(caller, caseId, messageId, body.Value, cancellationToken);
            return outcome is CaseOutcome<CaseTransferView>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, view => new ApiResult(StatusCodes.Status200OK, view));
        });

    /// <summary>Delivers one sealed package; a failure throws, so the host retries and then dead-letters it.</summary>
    [Function("TransferDelivery")]
    public Task Deliver([QueueTrigger(TransferDeliveryQueue.Name)] string message, CancellationToken cancellationToken)
        => delivery.DeliverQueuedAsync(message, cancellationToken);

    public const string DeadlineSchedule = "0 */15 * * * *";

    /// <summary>Every 15 minutes: queues again a transfer left queued with no message (see <see cref="TransferRequeue"/>), then
    /// alerts the coordinators about transfers past their acknowledgement deadline, once a day each.</summary>
    [Function("TransferDeadlines")]
    public async Task Deadlines([TimerTrigger(DeadlineSchedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        await requeue.RunAsync(cancellationToken);
        await deadlines.RunAsync(cancellationToken);
    }
}
