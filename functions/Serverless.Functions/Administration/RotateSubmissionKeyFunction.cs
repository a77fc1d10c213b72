using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Identity.SubmissionKeys;
using Serverless.Validation;

namespace Serverless.Functions.Administration;

public sealed class RotateSubmissionKeyFunction(HttpEndpoint endpoint, AdministrationService administration, SubmissionKeyService keys)
{
    [Function("RotateSubmissionKey")]
    [ApiOperation("Replace a submission key with a new one (same label and bindings), shown once. The old key keeps working for overlapSeconds (0: stops now), so the form can be switched without a gap. A revoked key cannot be rotated (409 admin.key-revoked): issue a new one.", Tag = "admin", Access = "admin", RequestBody = typeof(RotateSubmissionKeyRequest))]
    [ApiResponse(201, typeof(IssuedSubmissionKey))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found", "resource.conflict", "admin.key-revoked", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/agencies/{agencyId}/submission-keys/{keyId}/rotate")] HttpRequest request,
        string agencyId,
        string keyId,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminKeyRotate, new AuditTarget(AgencyId: agencyId, KeyId: keyId), async (context, caller) =>
        {
            if (administration.AdmitKeyManager(caller) is { } refusal)
            {
                return AdminResults.Refused(refusal, context);
            }

            var body = await JsonBody.ReadAsync<RotateSubmissionKeyRequest>(request, context, maxBytes: 1024);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            if (body.Value!.OverlapSeconds is not { } overlapSeconds)
            {
                return context.Invalid([new ValidationError("$.overlapSeconds", FieldRules.Required)]);
            }

            var rotated = await keys.RotateAsync(agencyId, keyId, TimeSpan.FromSeconds(overlapSeconds), caller.Id, cancellationToken);
            return SubmissionKeyResults.From(rotated, context, StatusCodes.Status201Created);
        });
}
