using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Transfers.Receiving;

namespace Serverless.Functions.Transfers;

/// <summary>What the receiving coordinators do with a package received from a partner council (移管): read it, accept it
/// into a new case, or ask the sender for more.</summary>
public sealed class ReceivingFunctions(HttpEndpoint endpoint, IncomingTransferReader reader, TransferAcceptance acceptance, TransferMoreRequests moreRequests)
{
    private const string Route = "api/transfers/incoming/{senderMunicipalityCode}/{messageId}";

    [Function("ReadIncomingTransfer")]
    [ApiOperation("Coordinators: a received package as the receiving coordinators should see it, opened again with this council's key and the partner's signature checked again: the case record, the timeline (kind, time, content, the sending agency's name unless referrer secrecy hides it, file references), the latest review, the locationSecrecy/referrerSecrecy flags, and its state here (received, more-requested, accepting, accepted) with its times. Audited with the entry ids disclosed. 409 transfers.package-unreadable when it no longer opens (key rotated, partner unconfirmed since).", Tag = "transfers", Access = "coordinator")]
    [ApiResponse(200, typeof(IncomingPackageView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "transfers.package-unreadable")]
    public Task<IActionResult> Read(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request,
        string senderMunicipalityCode,
        string messageId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferIncomingRead, null, async (context, caller) =>
            CaseResults.From(await reader.ReadAsync(caller, senderMunicipalityCode, messageId, cancellationToken), context, view => ApiResult.Ok(view)));

    [Function("AcceptIncomingTransfer")]
    [ApiOperation("Coordinators: accept a received package into a NEW case, registered like POST /api/cases (this council's division leads it; the same duplicate check: 409 cases.possible-duplicate until the candidates are named in confirmedNotDuplicateOf). Every timeline entry of the package becomes an entry of kind transferred with its origin (sender, message id, entry id, time, agency name unless referrer secrecy), visible to coordinators only; location secrecy as the sender had it. Retry-safe: a retry after a failure finishes the same case. Then the acknowledgement goes back to the sender. 201 with the new case and its Location. Accepted already: 409 transfers.already-decided.", Tag = "transfers", Access = "coordinator", RequestBody = typeof(AcceptTransferRequest))]
    [ApiResponse(201, typeof(CaseView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "cases.possible-duplicate", "cases.agency-not-council-member", "transfers.already-decided", "transfers.package-unreadable")]
    public Task<IActionResult> Accept(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/acceptance")] HttpRequest request,
        string senderMunicipalityCode,
        string messageId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferIncomingAccept, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<AcceptTransferRequest>(request, context, ReceivingLimits.MaxBodyBytes);
            var outcome = await acceptance.AcceptAsync(caller, senderMunicipalityCode, messageId, body.Value, cancellationToken);
            return outcome is CaseOutcome<CaseView>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, view => CaseResults.Created(view, request.PathBase.Add("/api/cases")));
        });

    [Function("RequestMoreOnIncomingTransfer")]
    [ApiOperation("Coordinators: ask the sender of a received package for more (request: 1–2,000 characters, multi-line). Stored on the package's row (state more-requested), then sent back to the sender; the same request again sends the same answer once. The package stays open for acceptance. Accepted (or being accepted): 409 transfers.already-decided.", Tag = "transfers", Access = "coordinator", RequestBody = typeof(TransferMoreRequest))]
    [ApiResponse(200, typeof(IncomingTransferStatusView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "transfers.already-decided")]
    public Task<IActionResult> RequestMore(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route + "/more-requests")] HttpRequest request,
        string senderMunicipalityCode,
        string messageId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferIncomingMoreRequest, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<TransferMoreRequest>(request, context, ReceivingLimits.MaxBodyBytes);
            var outcome = await moreRequests.RequestAsync(caller, senderMunicipalityCode, messageId, body.Value, cancellationToken);
            return outcome is CaseOutcome<IncomingTransferStatusView>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, view => ApiResult.Ok(view));
        });
}
