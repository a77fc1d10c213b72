using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Files;

namespace Serverless.Functions.Http;

/// <summary>A file the app made (an export) sent as a download: always <c>attachment</c> with its name in
/// <c>filename*</c> (RFC 6266, RFC 8187) and a sandbox CSP, as stored files are (<c>nosniff</c> and <c>no-store</c> come
/// with every answer).</summary>
public sealed class DownloadResult(byte[] content, string contentType, string name) : IActionResult, IStatusResult
{
    public int Status => StatusCodes.Status200OK;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = contentType;
        response.Headers.ContentDisposition = ContentDisposition.Attachment(name);
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        response.ContentLength = content.Length;
        await response.Body.WriteAsync(content, context.HttpContext.RequestAborted);
    }
}
