using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Administration;

public sealed class ConfirmEndMembershipFunction(HttpEndpoint endpoint, AdministrationService administration)
{
    [Function("ConfirmEndMembership")]
    [ApiOperation("Confirm a proposal to end another coordinator's coordinator membership: a coordinator other than the proposer, within 7 days of the proposal. The membership then ends on the proposed last day.", Tag = "admin", Access = "coordinator, not the proposer")]
    [ApiResponse(200, typeof(MembershipView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found", "admin.no-pending-proposal", "resource.conflict")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/people/{personId}/memberships/{membershipId}/end/confirm")] HttpRequest request,
        string personId,
        string membershipId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AdminMembershipEndConfirm, null, async (context, caller) =>
            AdminResults.From(await administration.ConfirmEndMembershipAsync(caller, personId, membershipId, cancellationToken), context));
}
