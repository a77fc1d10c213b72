using Serverless.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Cases.Search;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.Functions.Cases;

public sealed class SearchCasesFunction(HttpEndpoint endpoint, DuplicateFinder finder)
{
    [Function("SearchCases")]
    [ApiOperation("Find cases that may concern a child: by name (kana or kanji, any width or spacing), previous names, birth date or guardian name. Criteria travel in the body, never in the URL.", Tag = "cases", Access = "coordinator", RequestBody = typeof(CaseSearchCriteria))]
    [ApiResponse(200, typeof(CaseSearchResult))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/search")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseSearch, null, async (context, caller) =>
        {
            if (!caller.IsCoordinator)
            {
                return context.Problem(ProblemCatalogue.Forbidden);
            }

            var body = await JsonBody.ReadAsync<CaseSearchCriteria>(request, context, maxBytes: 16 * 1024);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var errors = CaseSearchValidator.Validate(body.Value!);
            if (errors.Count > 0)
            {
                return context.Invalid(errors);
            }

            var candidates = await finder.SearchAsync(caller, body.Value!, cancellationToken);
            context.Audit.Touched(candidates.Select(candidate => candidate.CaseId));
            return ApiResult.Ok(new CaseSearchResult(candidates));
        });
}

public sealed record CaseSearchResult(IReadOnlyList<CaseCandidate> Candidates);
