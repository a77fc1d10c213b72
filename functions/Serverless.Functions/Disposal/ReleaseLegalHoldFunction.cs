using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Cases.Disposal;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Disposal;

public sealed class ReleaseLegalHoldFunction(HttpEndpoint endpoint, DisposalService disposal)
{
    [Function("ReleaseLegalHold")]
    [ApiOperation("Propose releasing the legal hold on a case, with a reason (202, releaseProposal): the hold stays in force until a coordinator other than the proposer confirms at .../legal-hold/release/confirm within 7 days. 404 for a caller who may not see the case.", Tag = "disposal", Access = "coordinator", RequestBody = typeof(LegalHoldRequest))]
    [ApiResponse(202, typeof(LegalHoldView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "cases.legal-hold", "resource.conflict")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/legal-hold/release")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.LegalHoldRelease, caseId, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<LegalHoldRequest>(request, context, maxBytes: 8 * 1024);
            var outcome = await disposal.ReleaseHoldAsync(caller, caseId, body.Value, cancellationToken);
            return outcome is CaseOutcome<LegalHoldView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, hold => new ApiResult(StatusCodes.Status202Accepted, hold));
        });
}
