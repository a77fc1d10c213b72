using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Administration;

public sealed class SaveAgencyFunction(HttpEndpoint endpoint, AdministrationService administration)
{
    [Function("SaveAgency")]
    [ApiOperation("Register an agency (機関) or change it: name, kind, whether it is a formal council member (構成機関), and when it acknowledged the confidentiality duty (児童福祉法 25条の5). 201 when new. An agency of a kind that may lead cases (municipal division, child guidance centre), before or after the change, is saved by a coordinator (an admin gets 403 admin.coordinator-act); every other agency by an admin.", Tag = "admin", Access = "admin; coordinator for the municipal-division and child-guidance-centre kinds", RequestBody = typeof(SaveAgencyRequest))]
    [ApiResponse(200, typeof(Agency))]
    [ApiResponse(201, typeof(Agency))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.coordinator-act", "admin.network-not-allowed", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/agencies/{agencyId}")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminAgencySave, new AuditTarget(AgencyId: agencyId), (context, caller) =>
            AdminResults.WithBodyAsync<SaveAgencyRequest, Agency>(request, context, body => administration.SaveAgencyAsync(caller, agencyId, body, cancellationToken)));
}
