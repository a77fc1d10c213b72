using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Identity.SubmissionKeys;

namespace Serverless.Functions.Administration;

public sealed class RevokeSubmissionKeyFunction(HttpEndpoint endpoint, AdministrationService administration, SubmissionKeyService keys)
{
    [Function("RevokeSubmissionKey")]
    [ApiOperation("Revoke a submission key. It stops working on the very next request (every use reads the key's row; nothing is cached). Revoking twice is harmless.", Tag = "admin", Access = "admin")]
    [ApiResponse(200, typeof(SubmissionKeyInfo))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/agencies/{agencyId}/submission-keys/{keyId}/revoke")] HttpRequest request,
        string agencyId,
        string keyId,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminKeyRevoke, new AuditTarget(AgencyId: agencyId, KeyId: keyId), async (context, caller) =>
            administration.AdmitKeyManager(caller) is { } refusal
                ? AdminResults.Refused(refusal, context)
                : SubmissionKeyResults.From(await keys.RevokeAsync(agencyId, keyId, caller.Id, cancellationToken), context));
}
