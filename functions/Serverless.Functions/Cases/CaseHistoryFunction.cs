using Serverless.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Validation;

namespace Serverless.Functions.Cases;

public sealed class CaseHistoryFunction(HttpEndpoint endpoint, CaseService cases)
{
    [Function("CaseHistory")]
    [ApiOperation("Every version of a case, newest first: who, when, why, which fields, and the record as it was.", Tag = "cases", Access = "coordinator, or a member of an agency on the case")]
    [ApiQuery("pageSize", "1 to 50, default 20")]
    [ApiQuery("continuationToken", "from the previous page")]
    [ApiResponse(200, typeof(CaseHistoryPage))]
    [ApiProblems("auth.unauthenticated", "resource.not-found", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/history")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseHistory, caseId, async (context, caller) =>
        {
            var errors = new List<ValidationError>();
            var pageSize = CaseQuery.Int(request.Query, "pageSize", errors);
            var token = CaseQuery.Single(request.Query, "continuationToken", errors);
            if (errors.Count > 0)
            {
                // Still 404 first for a case the caller may not see.
                return CaseResults.From(await cases.GetAsync(caller, caseId, cancellationToken), context, _ => context.Invalid(errors));
            }

            return CaseResults.From(await cases.HistoryAsync(caller, caseId, pageSize, token, cancellationToken), context, page => ApiResult.Ok(page));
        });
}
