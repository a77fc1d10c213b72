using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases.Disposal;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Disposal;

public sealed class ConfirmLegalHoldReleaseFunction(HttpEndpoint endpoint, DisposalService disposal)
{
    [Function("ConfirmLegalHoldRelease")]
    [ApiOperation("Confirm the proposed release of a case's legal hold: a coordinator other than the proposer, within 7 days of the proposal. The hold is then released with the proposal's reason. 404 for a caller who may not see the case.", Tag = "disposal", Access = "coordinator, not the proposer")]
    [ApiResponse(200, typeof(LegalHoldView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "cases.legal-hold", "resource.conflict")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/legal-hold/release/confirm")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.LegalHoldReleaseConfirm, caseId, async (context, caller) =>
            CaseResults.From(await disposal.ConfirmReleaseAsync(caller, caseId, cancellationToken), context, hold => ApiResult.Ok(hold)));
}
