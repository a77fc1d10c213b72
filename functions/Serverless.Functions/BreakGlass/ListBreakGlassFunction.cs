using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases.BreakGlass;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.BreakGlass;

public sealed class ListBreakGlassFunction(HttpEndpoint endpoint, BreakGlassService breakGlass)
{
    [Function("ListBreakGlassAwaitingReview")]
    [ApiOperation("Break-glass openings not yet reviewed, oldest first.", Tag = "break-glass", Access = "coordinator")]
    [ApiResponse(200, typeof(BreakGlassGrantList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/break-glass")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.BreakGlassList, null, async (context, caller) =>
        {
            var outcome = await breakGlass.AwaitingReviewAsync(caller, cancellationToken);
            if (outcome is Serverless.Cases.CaseOutcome<IReadOnlyList<BreakGlassGrantView>>.Done done)
            {
                context.Audit.Touched(done.Value.Select(grant => grant.CaseId).Distinct(StringComparer.Ordinal));
            }

            return CaseResults.From(outcome, context, grants => ApiResult.Ok(new BreakGlassGrantList(grants)));
        });
}

/// <summary>Break-glass openings awaiting review, oldest first.</summary>
public sealed record BreakGlassGrantList(IReadOnlyList<BreakGlassGrantView> Grants);
