using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;

namespace Serverless.DevHost;

/// <summary>
/// Runs one invocation the way the isolated worker does: a fresh DI scope, the function class from
/// its constructor, the method with its bound arguments. Storage operations made during the call are
/// counted under the function's name.
/// </summary>
public sealed class FunctionInvoker(IServiceScopeFactory scopes, ILogger<FunctionInvoker> logger)
{
    public async Task<object?> InvokeAsync(FunctionDescriptor function, Func<ParameterInfo, object?> bind, string trigger)
    {
        var invocationId = Guid.NewGuid();
        var watch = Stopwatch.StartNew();
        logger.LogInformation("Executing 'Functions.{Function}' (Reason='{Trigger}', Id={InvocationId})", function.Name, trigger, invocationId);

        await using var scope = scopes.CreateAsyncScope();
        using var counting = StorageOperationCounter.BeginScope(function.Name);
        try
        {
            var instance = scope.ServiceProvider.GetRequiredService(function.ClassType);
            var arguments = function.Method.GetParameters().Select(bind).ToArray();
            var result = await Unwrap(function.Method.Invoke(instance, arguments));
            logger.LogInformation("Executed 'Functions.{Function}' (Succeeded, Id={InvocationId}, Duration={Duration}ms)", function.Name, invocationId, watch.ElapsedMilliseconds);
            return result;
        }
        catch (Exception ex)
        {
            var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            logger.LogError(cause, "Executed 'Functions.{Function}' (Failed, Id={InvocationId}, Duration={Duration}ms)", function.Name, invocationId, watch.ElapsedMilliseconds);
            throw new FunctionFailedException(function.Name, cause);
        }
    }

    private static async Task<object?> Unwrap(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult"
                    ? type.GetProperty("Result")!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                return returned;
        }
    }
}

public sealed class FunctionFailedException(string function, Exception cause)
    : Exception($"Function {function} failed", cause);
