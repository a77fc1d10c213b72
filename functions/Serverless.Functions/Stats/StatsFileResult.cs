using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Files;
using Serverless.Functions.Files;
using Serverless.Functions.Http;
using Serverless.Stats;

namespace Serverless.Functions.Stats;

/// <summary>A file of counts sent as an attachment (nothing in it may run: the download's sandbox CSP).</summary>
public sealed class StatsFileResult(StatsFile file) : IActionResult, IStatusResult
{
    public int Status => StatusCodes.Status200OK;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = file.ContentType;
        response.Headers.ContentDisposition = ContentDisposition.Attachment(file.FileName);
        response.Headers.ContentSecurityPolicy = StreamedFileResult.ContentSecurityPolicy;
        response.ContentLength = file.Content.Length;
        await response.Body.WriteAsync(file.Content, context.HttpContext.RequestAborted);
    }
}
