using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.Functions.Routing;

/// <summary>
/// Answers any URL under the prefix that no other function serves with a problem document instead of
/// a bare 404, so a form with a mistyped URL is told what to check. A catch-all route has the lowest
/// precedence, in Azure and in the local host alike. <c>GET /</c> (exactly that, only GET) is the one exception: it
/// redirects (302) to the web app at <c>/app/</c> (docs/web-app.md), so a person typing the bare address gets the page.
/// </summary>
public sealed class RouteNotFoundFunction(HttpEndpoint endpoint)
{
    [Function("RouteNotFound")]
    [ApiOperation("Any other URL: a problem document naming the mistake. GET / (the bare address, GET only) redirects to the web app: 302 with Location /app/. On the local host, a URL served only for other methods (HEAD, OPTIONS and TRACE included) answers 405 request.method-not-allowed with an Allow header; what Azure's front end answers there is in docs/local-host.md.", Tag = "operations", Access = "anonymous")]
    [ApiResponse(302)]
    [ApiProblems("request.route-not-found", "request.method-not-allowed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "{*path}")] HttpRequest request)
        => endpoint.RunAsync(request, context => IsBareAddress(request)
            ? new FoundRedirectResult(WebAppHome)
            : context.Problem(ProblemCatalogue.RouteNotFound));

    /// <summary>Where <c>GET /</c> sends a browser: the web app's page.</summary>
    public const string WebAppHome = "/app/";

    private static bool IsBareAddress(HttpRequest request)
        => HttpMethods.IsGet(request.Method) && (string.IsNullOrEmpty(request.Path.Value) || request.Path.Value == "/");
}
