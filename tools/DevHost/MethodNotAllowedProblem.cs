using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.DevHost;

/// <summary>
/// Routing answers a URL served only for other methods (HEAD, OPTIONS and TRACE on every route) with a bare 405 and an
/// <c>Allow</c> header. This gives that answer what every other one carries: the standard headers and a problem document
/// (<c>request.method-not-allowed</c>), through the app's own <see cref="HttpEndpoint"/> (so a key in such a URL is
/// still refused and audited). A HEAD answer carries the headers only: HTTP forbids it a body.
/// </summary>
/// <remarks>The 400 for <c>%00</c> in a path and the 414 for a request line over 8 KB come from Kestrel itself, before any
/// middleware runs, so they stay bare; see docs/local-host.md.</remarks>
public static class MethodNotAllowedProblem
{
    public static void Use(WebApplication app)
        => app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode != StatusCodes.Status405MethodNotAllowed || context.Response.HasStarted)
            {
                return;
            }

            var endpoint = context.RequestServices.GetRequiredService<HttpEndpoint>();
            var result = await endpoint.RunAsync(context.Request, requestContext => requestContext.Problem(ProblemCatalogue.MethodNotAllowed));
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        });
}
