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

public sealed class ProposeDisposalFunction(HttpEndpoint endpoint, DisposalService disposal)
{
    [Function("ProposeDisposal")]
    [ApiOperation("Propose disposal (廃棄) of a closed case under the municipality's document rule (ruleReference, e.g. 文書管理規程第○条). Only a closed case whose closure was decided at least Disposal:MinimumYearsAfterClosure years ago (default 5), and not under a legal hold. Another coordinator must approve; the ops tool's disposal run then deletes it. 404 for a caller who may not see the case, exactly as for a missing one.", Tag = "disposal", Access = "coordinator", RequestBody = typeof(ProposeDisposalRequest))]
    [ApiResponse(201, typeof(DisposalView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "cases.legal-hold", "cases.not-disposable", "cases.disposal-state")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/disposal")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.DisposalPropose, caseId, async (context, caller) =>
        {
            // The body is read, but reported only once the case is known visible (404 first).
            var body = await JsonBody.ReadAsync<ProposeDisposalRequest>(request, context, maxBytes: 8 * 1024);
            var outcome = await disposal.ProposeAsync(caller, caseId, body.Value, cancellationToken);
            return outcome is CaseOutcome<DisposalView>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, view => new ApiResult(StatusCodes.Status201Created, view));
        });
}
