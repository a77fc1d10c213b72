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

public sealed class ReviewBreakGlassFunction(HttpEndpoint endpoint, BreakGlassService breakGlass)
{
    [Function("ReviewBreakGlass")]
    [ApiOperation("Record the review of a break-glass opening. Another coordinator than the one who opened it; once.", Tag = "break-glass", Access = "coordinator (not the opener)", RequestBody = typeof(ReviewBreakGlassRequest))]
    [ApiResponse(200, typeof(BreakGlassGrantView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/break-glass/{grantId}/review")] HttpRequest request,
        string caseId,
        string grantId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.BreakGlassReview, caseId, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<ReviewBreakGlassRequest>(request, context, maxBytes: 8 * 1024);
            var outcome = await breakGlass.ReviewAsync(caller, caseId, grantId, body.Value, cancellationToken);
            return outcome is CaseOutcome<BreakGlassGrantView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, grant => ApiResult.Ok(grant));
        });
}
