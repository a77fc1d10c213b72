using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Serverless.Functions.Http;

namespace Serverless.Functions.Web;

/// <summary>
/// Writes one web app file, compressed when the browser accepts it (Brotli, else gzip), with the page's security headers.
/// Runs inside <see cref="StandardHeadersResult"/>, so it replaces its <c>no-store</c> only for versioned assets.
/// </summary>
public sealed class WebAssetResult(WebAsset asset, bool cacheable, string contentSecurityPolicy = WebAssetResult.ContentSecurityPolicy) : IActionResult, IStatusResult
{
    /// <summary>Scripts, styles and everything else from this app only; no inline script or style, no plug-ins, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
        + "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The policy with <paramref name="connectOrigins"/> (https origins, e.g. the Entra authorities' hosts) added to
    /// <c>connect-src</c>, each once, in order.</summary>
    public static string ContentSecurityPolicyFor(IEnumerable<string> connectOrigins)
    {
        var origins = connectOrigins.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return origins.Count == 0
            ? ContentSecurityPolicy
            : ContentSecurityPolicy.Replace("connect-src 'self';", "connect-src 'self' " + string.Join(' ', origins) + ";", StringComparison.Ordinal);
    }

    public int Status => 200;

    public WebAsset Asset => asset;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var request = context.HttpContext.Request;
        var response = context.HttpContext.Response;
        var headers = response.Headers;
        headers.CacheControl = cacheable ? "public, max-age=31536000, immutable" : "no-store";
        if (cacheable)
        {
            headers.Pragma = Microsoft.Extensions.Primitives.StringValues.Empty;
        }

        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "geolocation=(), microphone=(), payment=(), usb=()";
        headers.Vary = HeaderNames.AcceptEncoding;

        var accepted = request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = accepted.Contains("br", StringComparison.OrdinalIgnoreCase) ? (asset.Brotli, "br")
            : accepted.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? (asset.Gzip, "gzip")
            : (asset.Content, null);
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        response.StatusCode = Status;
        response.ContentType = asset.ContentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
        }
    }
}
