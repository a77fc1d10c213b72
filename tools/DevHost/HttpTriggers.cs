using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace Serverless.DevHost;

/// <summary>
/// Serves HTTP-triggered functions on their own routes under the host.json prefix, binding the real
/// <see cref="HttpRequest"/> and route values by parameter name, and executing the returned
/// <see cref="IActionResult"/> as the Functions ASP.NET Core integration does.
/// </summary>
public static class HttpTriggers
{
    public static void Map(WebApplication app, IEnumerable<HttpFunction> functions, HostSettings settings)
    {
        var prefix = settings.RoutePrefix.Length == 0 ? "" : "/" + settings.RoutePrefix;
        foreach (var function in functions)
        {
            app.MapMethods(prefix + "/" + function.Route, function.Methods, context => InvokeAsync(context, function))
                .WithName(function.Name);
        }
    }

    private static async Task InvokeAsync(HttpContext context, HttpFunction function)
    {
        var invoker = context.RequestServices.GetRequiredService<FunctionInvoker>();
        object? result;
        try
        {
            result = await invoker.InvokeAsync(function, parameter => Bind(context, parameter), "This function was programmatically called via the host APIs.");
        }
        catch (FunctionFailedException)
        {
            // Azure answers an unhandled failure with a bare 500; so does the local host.
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                throw new NotSupportedException($"Function {function.Name} returned {result.GetType().Name}; HTTP functions return IActionResult.");
        }
    }

    private static object? Bind(HttpContext context, ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        return context.Request.RouteValues.TryGetValue(parameter.Name!, out var value) ? value?.ToString() : null;
    }
}
