using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Administration;

public sealed class ListPeopleFunction(HttpEndpoint endpoint, AdministrationService administration)
{
    [Function("ListPeople")]
    [ApiOperation("People and their memberships (coordinators use it to name staff on a case).", Tag = "admin", Access = "admin, coordinator")]
    [ApiQuery("agency", "an agency id: only people with a membership there")]
    [ApiResponse(200, typeof(PersonList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/people")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AdminPersonRead, null, async (context, caller) =>
        {
            var agency = request.Query["agency"].ToString();
            return AdminResults.From(await administration.ListPeopleAsync(caller, agency.Length > 0 ? agency : null, cancellationToken), context, people => new PersonList(people));
        });
}

/// <summary>People and their memberships, by person id.</summary>
public sealed record PersonList(IReadOnlyList<PersonView> People);
