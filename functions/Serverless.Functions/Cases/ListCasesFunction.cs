using Serverless.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Cases;

public sealed class ListCasesFunction(HttpEndpoint endpoint, CaseService cases)
{
    [Function("ListCases")]
    [ApiOperation("A page of cases of one status or one agency (members: their own agency), in next-review-date order. A page may hold fewer than pageSize cases and still continue.", Tag = "cases", Access = "coordinator, or a member (own agency)")]
    [ApiQuery("status", "accepted | registered | closed (status or agency is required)")]
    [ApiQuery("category", "requiring-protection | requiring-support | expectant-mother")]
    [ApiQuery("agency", "an agency id")]
    [ApiQuery("reviewDueBefore", "yyyy-MM-dd: next review date before this day")]
    [ApiQuery("pageSize", "1 to 100, default 50")]
    [ApiQuery("continuationToken", "from the previous page")]
    [ApiResponse(200, typeof(CaseListPage))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseList, null, async (context, caller) =>
        {
            var (query, errors) = CaseQuery.ReadList(request.Query);
            if (query is null)
            {
                return context.Invalid(errors);
            }

            return CaseResults.From(await cases.ListAsync(caller, query, cancellationToken), context, page => ApiResult.Ok(page));
        });
}
