using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Serverless.DevHost;

/// <summary>A function as the Functions host sees it: its name, where its code is, and its trigger.</summary>
public abstract record FunctionDescriptor(string Name, Type ClassType, MethodInfo Method);

public sealed record HttpFunction(string Name, Type ClassType, MethodInfo Method, string Route, IReadOnlyList<string> Methods)
    : FunctionDescriptor(Name, ClassType, Method);

public sealed record QueueFunction(string Name, Type ClassType, MethodInfo Method, string QueueName)
    : FunctionDescriptor(Name, ClassType, Method);

public sealed record TimerFunction(string Name, Type ClassType, MethodInfo Method, string Schedule, bool RunOnStartup)
    : FunctionDescriptor(Name, ClassType, Method);

/// <summary>
/// Finds the functions in an assembly from the same attributes the Functions SDK turns into
/// <c>functions.metadata</c> (a test checks the two agree), and refuses, at start-up, any
/// parameter the local host could not bind the way Azure would.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly)
        => assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(Describe)
            .OrderBy(function => function.Name, StringComparer.Ordinal)
            .ToList();

    private static FunctionDescriptor Describe(MethodInfo method)
    {
        var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
        var type = method.DeclaringType!;
        foreach (var parameter in method.GetParameters())
        {
            RequireBindable(name, method, parameter);
        }

        var parameters = method.GetParameters();
        if (parameters.Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null) is { } http)
        {
            return new HttpFunction(name, type, method, http.Route ?? name, (http.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToList());
        }

        if (parameters.Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).FirstOrDefault(a => a is not null) is { } queue)
        {
            return new QueueFunction(name, type, method, queue.QueueName);
        }

        if (parameters.Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null) is { } timer)
        {
            return new TimerFunction(name, type, method, timer.Schedule, timer.RunOnStartup);
        }

        throw new NotSupportedException($"Function {name} has a trigger the local host does not run (HTTP, queue and timer triggers only).");
    }

    private static void RequireBindable(string function, MethodInfo method, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        var bindable = type == typeof(HttpRequest)
            || type == typeof(CancellationToken)
            || type == typeof(TimerInfo)
            || (parameter.GetCustomAttribute<QueueTriggerAttribute>() is not null && type == typeof(string))
            || (parameter.GetCustomAttribute<HttpTriggerAttribute>() is null && type == typeof(string) && IsHttp(method));
        if (!bindable)
        {
            throw new NotSupportedException(
                $"Function {function}: parameter '{parameter.Name}' of type {type.Name} is not bound by the local host. "
                + "Functions take HttpRequest, route values as strings, a queue message as string, TimerInfo and CancellationToken; "
                + "services come from the constructor (no FunctionContext, no output bindings).");
        }
    }

    private static bool IsHttp(MethodInfo method)
        => method.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null);
}
