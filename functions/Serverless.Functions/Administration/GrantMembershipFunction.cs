using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Administration;

public sealed class GrantMembershipFunction(HttpEndpoint endpoint, AdministrationService administration)
{
    [Function("GrantMembership")]
    [ApiOperation("Give a person a membership: agency, role, first and last day. Admins grant member, auditor and admin; only a coordinator grants coordinator, and only a coordinator designates break-glass (mayBreakGlass: an admin gets 403 admin.coordinator-act); nobody grants themselves.", Tag = "admin", Access = "admin; coordinator for the coordinator role and for break-glass designations", RequestBody = typeof(GrantMembershipRequest))]
    [ApiResponse(201, typeof(MembershipView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.coordinator-act", "admin.network-not-allowed", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/people/{personId}/memberships")] HttpRequest request,
        string personId,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminMembershipGrant, new AuditTarget(PersonId: personId), (context, caller) =>
            AdminResults.WithBodyAsync<GrantMembershipRequest, MembershipView>(request, context, body => administration.GrantMembershipAsync(caller, personId, body, cancellationToken)));
}
