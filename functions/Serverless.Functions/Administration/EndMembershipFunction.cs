using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Administration;

public sealed class EndMembershipFunction(HttpEndpoint endpoint, AdministrationService administration)
{
    [Function("EndMembership")]
    [ApiOperation("Set a membership's last day (the April rotation; a person leaving). It stops working the day after, at once on every request. Ending never extends a membership. Another coordinator's coordinator membership is not ended but proposed for ending (202, pendingEnd): a different coordinator confirms it at .../end/confirm within 7 days.", Tag = "admin", Access = "admin; coordinator for the coordinator role", RequestBody = typeof(EndMembershipRequest))]
    [ApiResponse(200, typeof(MembershipView))]
    [ApiResponse(202, typeof(MembershipView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found", "resource.conflict", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/people/{personId}/memberships/{membershipId}/end")] HttpRequest request,
        string personId,
        string membershipId,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminMembershipEnd, new AuditTarget(PersonId: personId, MembershipId: membershipId), (context, caller) =>
            AdminResults.WithBodyAsync<EndMembershipRequest, MembershipView>(request, context, body => administration.EndMembershipAsync(caller, personId, membershipId, body, cancellationToken)));
}
