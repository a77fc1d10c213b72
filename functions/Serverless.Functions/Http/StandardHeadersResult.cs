using Microsoft.AspNetCore.Mvc;

namespace Serverless.Functions.Http;

/// <summary>Headers every response carries. Responses hold children's data: no cache may keep them.</summary>
public sealed class StandardHeadersResult(IActionResult inner, RequestContext context) : IActionResult
{
    public IActionResult Inner { get; } = inner;

    public Task ExecuteResultAsync(ActionContext actionContext)
    {
        var headers = actionContext.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["X-Request-Id"] = context.RequestId;
        if (Unwrap(Inner) is ApiResult { Body: ProblemBody })
        {
            headers.ContentLanguage = ProblemLanguageNegotiation.Tag(context.Language);
        }

        return Inner.ExecuteResultAsync(actionContext);
    }

    private static IActionResult Unwrap(IActionResult result) => result is WithHeaderResult header ? Unwrap(header.Inner) : result;
}
