using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Identity.SubmissionKeys;

namespace Serverless.Functions.Administration;

public sealed class IssueSubmissionKeyFunction(HttpEndpoint endpoint, AdministrationService administration, SubmissionKeyService keys)
{
    [Function("IssueSubmissionKey")]
    [ApiOperation("Issue a submission key for an agency's form. The key is in this answer only, once: it is stored as a hash. Use it server-side only (a key in a web page is a leaked key), in Authorization: SubmissionKey {key}.", Tag = "admin", Access = "admin", RequestBody = typeof(IssueSubmissionKeyRequest))]
    [ApiResponse(201, typeof(IssuedSubmissionKey))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/agencies/{agencyId}/submission-keys")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminKeyIssue, new AuditTarget(AgencyId: agencyId), async (context, caller) =>
        {
            if (administration.AdmitKeyManager(caller) is { } refusal)
            {
                return AdminResults.Refused(refusal, context);
            }

            var body = await JsonBody.ReadAsync<IssueSubmissionKeyRequest>(request, context, maxBytes: 16 * 1024);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var issued = await keys.IssueAsync(agencyId, body.Value!.Label ?? "", body.Value.ExpiresAt, body.Value.AllowedOrigins ?? [], body.Value.AllowedAddresses ?? [], caller.Id, cancellationToken);
            if (issued is SubmissionKeyOutcome<IssuedSubmissionKey>.Done { Value: var key })
            {
                context.Audit.Targeted(new AuditTarget(KeyId: key.Info.KeyId));
            }

            return SubmissionKeyResults.From(issued, context, StatusCodes.Status201Created);
        });
}
