using System.Security.Cryptography;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Serverless.Functions.Identity;
using Serverless.Identity;
using Serverless.Problems;

namespace Serverless.Functions.Http;

/// <summary>
/// The first thing every HTTP function calls. It runs inside the function's own code path (not in
/// middleware only one host would run), so Azure and the local host behave the same: it names the
/// request, picks the caller's language, turns failures into problem details, and stamps every
/// response with <c>Cache-Control: no-store</c>.
/// </summary>
public sealed class HttpEndpoint(CallerAuthentication authentication, ILogger<HttpEndpoint> logger)
{
    /// <summary>Runs <paramref name="handler"/> for an authenticated caller; anyone else gets 401 and nothing else.</summary>
    public Task<IActionResult> RunForCallerAsync(HttpRequest request, Func<RequestContext, Caller, Task<IActionResult>> handler)
        => RunAsync(request, async context =>
        {
            var caller = authentication.Authenticate(request);
            if (caller is null)
            {
                logger.LogInformation("Request {RequestId} refused: no authenticated caller", context.RequestId);
                return context.Problem(ProblemCatalogue.Unauthenticated);
            }

            return await handler(context, caller);
        });

    public Task<IActionResult> RunAsync(HttpRequest request, Func<RequestContext, IActionResult> handler)
        => RunAsync(request, context => Task.FromResult(handler(context)));

    public async Task<IActionResult> RunAsync(HttpRequest request, Func<RequestContext, Task<IActionResult>> handler)
    {
        var context = new RequestContext(NewRequestId(), ProblemLanguageNegotiation.From(request), request.Path.Value ?? "/");
        IActionResult result;
        try
        {
            result = await handler(context);
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw; // the caller left; nobody reads the answer
        }
        catch (Exception ex) when (IsStorageOutage(ex))
        {
            logger.LogError(ex, "Request {RequestId}: storage unavailable", context.RequestId);
            result = context.Problem(ProblemCatalogue.StorageUnavailable);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Request {RequestId} failed", context.RequestId);
            result = context.Problem(ProblemCatalogue.InternalError);
        }

        return new StandardHeadersResult(result, context);
    }

    /// <summary>128 random bits, hex: opaque, unguessable, safe in logs and audit entries.</summary>
    private static string NewRequestId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static bool IsStorageOutage(Exception ex)
        => ex is HttpRequestException || (ex is RequestFailedException failed && (failed.Status == 0 || failed.Status >= 500));
}
