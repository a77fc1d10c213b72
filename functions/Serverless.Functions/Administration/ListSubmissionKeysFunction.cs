using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Identity.SubmissionKeys;

namespace Serverless.Functions.Administration;

public sealed class ListSubmissionKeysFunction(HttpEndpoint endpoint, AdministrationService administration, SubmissionKeyService keys)
{
    [Function("ListSubmissionKeys")]
    [ApiOperation("An agency's submission keys: ids, labels, bindings, expiry and revocation. Never the keys themselves.", Tag = "admin", Access = "admin")]
    [ApiResponse(200, typeof(SubmissionKeyList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/agencies/{agencyId}/submission-keys")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminKeyRead, new AuditTarget(AgencyId: agencyId), async (context, caller) =>
            administration.AdmitKeyManager(caller) is { } refusal
                ? AdminResults.Refused(refusal, context)
                : SubmissionKeyResults.From(await keys.ListAsync(agencyId, cancellationToken), context, map: list => new SubmissionKeyList(list)));
}

/// <summary>An agency's submission keys, without the keys themselves.</summary>
public sealed record SubmissionKeyList(IReadOnlyList<SubmissionKeyInfo> Keys);
