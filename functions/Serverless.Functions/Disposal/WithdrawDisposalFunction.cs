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

public sealed class WithdrawDisposalFunction(HttpEndpoint endpoint, DisposalService disposal)
{
    [Function("WithdrawDisposal")]
    [ApiOperation("Withdraw a proposed or approved disposal before the ops tool runs it. Any coordinator may stop a disposal.", Tag = "disposal", Access = "coordinator")]
    [ApiResponse(200, typeof(DisposalView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "cases.disposal-state", "resource.conflict")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/disposal/withdraw")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.DisposalWithdraw, caseId, async (context, caller) =>
        {
            var outcome = await disposal.WithdrawAsync(caller, caseId, cancellationToken);
            return CaseResults.From(outcome, context, view => ApiResult.Ok(view));
        });
}
