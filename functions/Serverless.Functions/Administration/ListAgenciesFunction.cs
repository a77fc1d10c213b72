using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Administration;

public sealed class ListAgenciesFunction(HttpEndpoint endpoint, AdministrationService administration)
{
    [Function("ListAgencies")]
    [ApiOperation("Every agency of the council.", Tag = "admin", Access = "admin, coordinator")]
    [ApiResponse(200, typeof(AgencyList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/agencies")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AdminAgencyRead, null, async (context, caller) =>
            AdminResults.From(await administration.ListAgenciesAsync(caller, cancellationToken), context, agencies => new AgencyList(agencies)));
}

/// <summary>The council's agencies, by id.</summary>
public sealed record AgencyList(IReadOnlyList<Agency> Agencies);
