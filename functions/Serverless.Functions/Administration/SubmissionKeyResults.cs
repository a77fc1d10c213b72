using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Functions.Http;
using Serverless.Identity.SubmissionKeys;
using Serverless.Problems;

namespace Serverless.Functions.Administration;

/// <summary>Maps submission-key outcomes to HTTP. Who may manage keys is decided before, in
/// <see cref="Serverless.Administration.AdministrationService.AdmitKeyManager"/>.</summary>
public static class SubmissionKeyResults
{
    public static IActionResult From<T>(SubmissionKeyOutcome<T> outcome, RequestContext context, int successStatus = StatusCodes.Status200OK, Func<T, object>? map = null)
        where T : notnull
        => outcome switch
        {
            SubmissionKeyOutcome<T>.Done done => new ApiResult(successStatus, map is null ? done.Value : map(done.Value)),
            SubmissionKeyOutcome<T>.NotFound => context.Problem(ProblemCatalogue.NotFound),
            SubmissionKeyOutcome<T>.Invalid invalid => context.Invalid(invalid.Errors),
            SubmissionKeyOutcome<T>.Conflict => context.Problem(ProblemCatalogue.Conflict, context.Language == ProblemLanguage.English ? "This key was already rotated." : "このキーはすでに更新（ローテーション）されています。"),
            SubmissionKeyOutcome<T>.Revoked => context.Problem(ProblemCatalogue.KeyRevoked),
            _ => throw new InvalidOperationException($"Unmapped outcome {outcome.GetType().Name}"),
        };
}
