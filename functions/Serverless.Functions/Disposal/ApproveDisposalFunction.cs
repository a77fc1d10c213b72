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

public sealed class ApproveDisposalFunction(HttpEndpoint endpoint, DisposalService disposal)
{
    [Function("ApproveDisposal")]
    [ApiOperation("Approve a proposed disposal: a second coordinator, never the proposer (403). Refused while the case is under a legal hold, or if it was reopened since.", Tag = "disposal", Access = "coordinator (not the proposer)")]
    [ApiResponse(200, typeof(DisposalView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "cases.legal-hold", "cases.not-disposable", "cases.disposal-state", "resource.conflict")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/disposal/approve")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.DisposalApprove, caseId, async (context, caller) =>
        {
            var outcome = await disposal.ApproveAsync(caller, caseId, cancellationToken);
            return CaseResults.From(outcome, context, view => ApiResult.Ok(view));
        });
}
