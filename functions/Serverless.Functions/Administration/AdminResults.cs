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
            AdminOutcome<T>.NotFound => context.Problem(ProblemCatalogue.NotFound),
            AdminOutcome<T>.Forbidden => context.Problem(ProblemCatalogue.Forbidden),
            AdminOutcome<T>.Invalid invalid => context.Invalid(invalid.Errors),
            AdminOutcome<T>.Conflict => context.Problem(ProblemCatalogue.Conflict),
            _ => throw new InvalidOperationException($"Unmapped outcome {outcome.GetType().Name}"),
        };

    /// <summary>Reads a JSON body, then runs the operation; an unreadable body is answered as the reader says.</summary>
    public static async Task<IActionResult> WithBodyAsync<TBody, T>(HttpRequest request, RequestContext context, Func<TBody, Task<AdminOutcome<T>>> operation)
        where TBody : class
        where T : notnull
    {
        var body = await JsonBody.ReadAsync<TBody>(request, context, maxBytes: 16 * 1024);
        return body.Problem ?? From(await operation(body.Value!), context);
    }
}
