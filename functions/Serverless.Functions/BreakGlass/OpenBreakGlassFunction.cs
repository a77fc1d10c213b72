using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Cases.BreakGlass;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.BreakGlass;

public sealed class OpenBreakGlassFunction(HttpEndpoint endpoint, BreakGlassService breakGlass)
{
    [Function("OpenBreakGlass")]
    [ApiOperation("Emergency access (break-glass): open a case outside your scope, with a reason, for 4 hours. Every coordinator is notified at once, every access is marked in the audit, and the opening waits for another coordinator's review. 404 for a caller not designated for break-glass, exactly as for a missing case.", Tag = "break-glass", Access = "designated coordinators and child-guidance-centre members", RequestBody = typeof(OpenBreakGlassRequest))]
    [ApiResponse(201, typeof(BreakGlassGrantView))]
    [ApiProblems("auth.unauthenticated", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/break-glass")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.BreakGlassOpen, caseId, async (context, caller) =>
        {
            // The body is read, but reported only once the case is known openable (404 first).
            var body = await JsonBody.ReadAsync<OpenBreakGlassRequest>(request, context, maxBytes: 8 * 1024);
            var outcome = await breakGlass.OpenAsync(caller, caseId, body.Value, cancellationToken);
            if (outcome is CaseOutcome<BreakGlassGrantView>.Done)
            {
                context.Audit.MarkBreakGlass();
            }

            return outcome is CaseOutcome<BreakGlassGrantView>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, grant => new ApiResult(StatusCodes.Status201Created, grant));
        });
}
