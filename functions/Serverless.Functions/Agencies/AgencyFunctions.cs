using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Agencies;

/// <summary>The council's agencies as any signed-in person sees them: the names behind the ids.</summary>
public sealed class AgencyFunctions(HttpEndpoint endpoint, AgencyListing agencies)
{
    [Function("ListCouncilAgencies")]
    [ApiOperation("Every agency of the council: id, name and kind, by kind then name, at most 500 (truncated true when there are more). Agency names are not child data: any signed-in person may read them, so a page can show names instead of ids.", Tag = "agencies", Access = "any signed-in person (a form's key: 403)")]
    [ApiResponse(200, typeof(AgencyListPage))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/agencies")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AgenciesRead, null, async (context, caller) =>
            CaseResults.From(await agencies.ListAsync(caller, cancellationToken), context, page => ApiResult.Ok(page)));
}
