using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Serverless.Functions.Http;

/// <summary>JSON that is already text (a stored document), written as is.</summary>
public sealed class RawJsonResult(string json) : IActionResult, IStatusResult
{
    public int Status => StatusCodes.Status200OK;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(json, context.HttpContext.RequestAborted);
    }
}
