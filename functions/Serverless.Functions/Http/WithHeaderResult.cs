using Microsoft.AspNetCore.Mvc;

namespace Serverless.Functions.Http;

/// <summary>Adds one response header to another result (ETag on a case, on a 412).</summary>
public sealed class WithHeaderResult(IActionResult inner, string name, string value) : IActionResult, IStatusResult
{
    public IActionResult Inner { get; } = inner;

    public int Status => Inner is IStatusResult known ? known.Status : 200;

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.Headers[name] = value;
        return Inner.ExecuteResultAsync(context);
    }
}
