using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.Functions.Web;

/// <summary>
/// The phone-first web app (docs/web-app.md), served by the function app itself: <c>/app/</c> is the page, and its
/// scripts and styles live under <c>/app/v/{version}/</c>. The page holds no data: it calls the API with the signed-in
/// person's token, so the same access rules and audit apply as to any other client.
/// </summary>
public sealed class WebAppFunction(HttpEndpoint endpoint, WebAssets assets)
{
    [Function("WebApp")]
    [ApiOperation("The web app for agency staff and coordinators (Japanese, phone-first): /app/ is the page (never cached), /app/v/{version}/... its scripts and styles (cached; the version is a hash of their contents). Holds no case data: the page calls this API as the signed-in person.", Tag = "web", Access = "anonymous")]
    [ApiResponse(200, contentType: "text/html")]
    [ApiProblems("request.route-not-found")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "app/{*file}")] HttpRequest request,
        string? file)
        => endpoint.RunAsync(request, context => Serve(context, file ?? ""));

    private IActionResult Serve(RequestContext context, string file)
    {
        if (file.Length == 0 || file == "index.html")
        {
            return new WebAssetResult(assets.Index, cacheable: false, assets.ContentSecurityPolicy);
        }

        // v/{version}/{path}: the current version is cached for a year; a page from before a deploy asking for its old
        // version gets today's file, uncached, and its next load asks for the new version.
        var parts = file.Split('/', 3);
        if (parts.Length == 3 && parts[0] == "v" && assets.Find(parts[2]) is { } asset)
        {
            return new WebAssetResult(asset, cacheable: parts[1] == assets.Version, assets.ContentSecurityPolicy);
        }

        return context.Problem(ProblemCatalogue.RouteNotFound);
    }
}
