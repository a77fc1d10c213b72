using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Serverless.Functions.Http;

/// <summary>
/// A JSON response written by the app itself rather than by MVC formatters, so the bytes are the
/// same in Azure Functions and in the local host whatever formatters either one registers.
/// </summary>
public sealed class ApiResult(int status, object? body, string contentType = "application/json; charset=utf-8") : IActionResult, IStatusResult
{
    public int Status { get; } = status;

    public object? Body { get; } = body;

    public static ApiResult Ok(object body) => new(StatusCodes.Status200OK, body);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        if (Body is null)
        {
            return;
        }

        response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), ApiJson.Options, context.HttpContext.RequestAborted);
    }
}
