using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Serverless.Functions.Http;

/// <summary>JSON that is already text (a stored document, an answer kept for idempotent retries), written as is.</summary>
public sealed class RawJsonResult(string json, int status = StatusCodes.Status200OK) : IActionResult, IStatusResult
{
    public int Status => status;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(json, context.HttpContext.RequestAborted);
    }
}
