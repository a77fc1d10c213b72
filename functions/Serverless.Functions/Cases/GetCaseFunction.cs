using Serverless.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Cases;

public sealed class GetCaseFunction(HttpEndpoint endpoint, CaseService cases)
{
    [Function("GetCase")]
    [ApiOperation("A case, with its ETag. Location fields are withheld from callers who may not see them. A case the caller may not see is 404, like a missing one.", Tag = "cases", Access = "coordinator, or a member of an agency on the case")]
    [ApiResponse(200, typeof(CaseView))]
    [ApiProblems("auth.unauthenticated", "resource.not-found")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseRead, caseId, async (context, caller) =>
            CaseResults.From(await cases.GetAsync(caller, caseId, cancellationToken), context, view => CaseResults.Case(view)));
}
