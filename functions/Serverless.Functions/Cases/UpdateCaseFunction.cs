using Serverless.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Cases;

public sealed class UpdateCaseFunction(HttpEndpoint endpoint, CaseService cases)
{
    [Function("UpdateCase")]
    [ApiOperation("Change a case: a reason and a JSON Merge Patch (RFC 7386) of the record, with If-Match set to the ETag read. Every change is kept as a version.", Tag = "cases", Access = "coordinator", RequestBody = typeof(UpdateCaseRequest))]
    [ApiResponse(200, typeof(CaseView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.precondition-required", "request.precondition-failed", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "cases.agency-not-council-member")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/cases/{caseId}")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseUpdate, caseId, async (context, caller) =>
        {
            // A body that cannot be read is reported only after the case is found visible (404 first).
            var body = await JsonBody.ReadAsync<UpdateCaseRequest>(request, context);
            var outcome = await cases.UpdateAsync(caller, caseId, CaseResults.ExpectedVersion(request), body.Value, cancellationToken);
            return outcome is CaseOutcome<CaseView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => CaseResults.Case(view));
        });
}
