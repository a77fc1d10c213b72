using Microsoft.AspNetCore.Mvc;

namespace Serverless.Functions.Http;

/// <summary>
/// A 302 to <paramref name="location"/> with no body. Written by hand rather than with MVC's <c>RedirectResult</c>, which needs
/// the MVC executor services that neither the Functions worker nor the local host registers.
/// </summary>
public sealed class FoundRedirectResult(string location) : IActionResult, IStatusResult
{
    public int Status => 302;

    public string Location => location;

    public Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.Headers.Location = location;
        response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
