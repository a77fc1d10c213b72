using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Administration;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.Functions.Administration;

/// <summary>Maps administration outcomes to HTTP: one status and problem code per kind.</summary>
public static class AdminResults
{
    public static IActionResult From<T>(AdminOutcome<T> outcome, RequestContext context, Func<T, object>? map = null)
        where T : notnull
        => outcome switch
        {
            AdminOutcome<T>.Done { Created: true } done => new ApiResult(StatusCodes.Status201Created, map is null ? done.Value : map(done.Value)),
            AdminOutcome<T>.Done done => ApiResult.Ok(map is null ? done.Value : map(done.Value)),
            AdminOutcome<T>.Proposed proposed => new ApiResult(StatusCodes.Status202Accepted, map is null ? proposed.Value : map(proposed.Value)),
            AdminOutcome<T>.NoPendingProposal => context.Problem(ProblemCatalogue.NoPendingProposal),
            AdminOutcome<T>.NotFound => context.Problem(ProblemCatalogue.NotFound),
            AdminOutcome<T>.Forbidden => context.Problem(ProblemCatalogue.Forbidden),
            AdminOutcome<T>.CoordinatorAct => context.Problem(ProblemCatalogue.CoordinatorAct),
            AdminOutcome<T>.OutsideNetwork => context.Problem(ProblemCatalogue.AdminNetworkNotAllowed),
            AdminOutcome<T>.Invalid invalid => context.Invalid(invalid.Errors),
            AdminOutcome<T>.Conflict => context.Problem(ProblemCatalogue.Conflict),
            AdminOutcome<T>.Unreadable => throw new InvalidOperationException("WithBodyAsync answers an unreadable body with the reader's own problem."),
            _ => throw new InvalidOperationException($"Unmapped outcome {outcome.GetType().Name}"),
        };

    /// <summary>A refusal by the admin API's gate (<see cref="AdministrationService.AdmitKeyManager"/>).</summary>
    public static IActionResult Refused(AdminRefusal refusal, RequestContext context)
        => context.Problem(refusal == AdminRefusal.OutsideNetwork ? ProblemCatalogue.AdminNetworkNotAllowed : ProblemCatalogue.Forbidden);

    /// <summary>Reads a JSON body and runs the operation with it (null when unreadable); the service decides the
    /// role first, so an unreadable body is answered as the reader says only to a caller who may do this.</summary>
    public static async Task<IActionResult> WithBodyAsync<TBody, T>(HttpRequest request, RequestContext context, Func<TBody?, Task<AdminOutcome<T>>> operation)
        where TBody : class
        where T : notnull
    {
        var body = await JsonBody.ReadAsync<TBody>(request, context, maxBytes: 16 * 1024);
        var outcome = await operation(body.Value);
        return outcome is AdminOutcome<T>.Unreadable ? body.Problem! : From(outcome, context);
    }
}
