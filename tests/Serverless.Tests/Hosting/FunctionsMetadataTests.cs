using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.DevHost;
using Serverless.Functions;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Hosting;

public sealed class FunctionsMetadataTests
{
    [Fact]
    public void MetadataWasGeneratedForTheApp()
    {
        var entries = FunctionsMetadataEntry.Load();

        Assert.Contains(entries, entry => entry.Name == "Health" && entry.TriggerType == "httpTrigger");
        Assert.Contains(entries, entry => entry.Name == "HealthProbe" && entry.TriggerType == "queueTrigger");
        Assert.Contains(entries, entry => entry.Name == "DisposalRun" && entry.TriggerType == "queueTrigger");
        Assert.Contains(entries, entry => entry.Name == "DeadLetterSweep" && entry.TriggerType == "timerTrigger");
    }

    [Fact]
    public void EveryFunctionIsAnonymousWithNoBindingsButItsTriggerAndHttpResponse()
        => Assert.Empty(FunctionsMetadataEntry.RuleViolations(FunctionsMetadataEntry.Load()));

    [Fact]
    public void RuleCheckCatchesOtherAuthLevelsOutputAndInputBindings()
    {
        const string metadata = """
            [
              { "name": "Keyed", "entryPoint": "A.B", "bindings": [
                { "name": "req", "direction": "In", "type": "httpTrigger", "authLevel": "Function", "methods": ["get"], "route": "x" },
                { "name": "$return", "type": "http", "direction": "Out" } ] },
              { "name": "Writes", "entryPoint": "A.C", "bindings": [
                { "name": "message", "direction": "In", "type": "queueTrigger", "queueName": "q" },
                { "name": "Row", "direction": "Out", "type": "table", "tableName": "t" } ] },
              { "name": "Reads", "entryPoint": "A.D", "bindings": [
                { "name": "message", "direction": "In", "type": "queueTrigger", "queueName": "q" },
                { "name": "blob", "direction": "In", "type": "blob", "path": "c/{id}" } ] }
            ]
            """;

        var violations = FunctionsMetadataEntry.RuleViolations(FunctionsMetadataEntry.Parse(metadata));

        Assert.Equal(3, violations.Count);
        Assert.StartsWith("Keyed: HTTP trigger with auth level", violations[0], StringComparison.Ordinal);
        Assert.StartsWith("Writes: output binding 'Row'", violations[1], StringComparison.Ordinal);
        Assert.StartsWith("Reads: input binding 'blob'", violations[2], StringComparison.Ordinal);
    }

    [Fact]
    public void LocalHostDiscoversExactlyTheFunctionsInMetadataWithTheirTriggers()
    {
        var discovered = FunctionCatalog.Discover(typeof(AppRegistration).Assembly).ToDictionary(function => function.Name);
        var metadata = FunctionsMetadataEntry.Load();

        Assert.Equal(metadata.Select(entry => entry.Name).Order(StringComparer.Ordinal), discovered.Keys.Order(StringComparer.Ordinal));
        foreach (var entry in metadata)
        {
            var function = discovered[entry.Name];
            Assert.Equal(entry.EntryPoint, $"{function.ClassType.FullName}.{function.Method.Name}");
            var trigger = entry.Trigger;
            switch (function)
            {
                case HttpFunction http:
                    Assert.Equal("httpTrigger", entry.TriggerType);
                    Assert.Equal(trigger["route"]!.GetValue<string>(), http.Route);
                    Assert.Equal(
                        trigger["methods"]!.AsArray().Select(method => method!.GetValue<string>().ToUpperInvariant()).Order(StringComparer.Ordinal),
                        http.Methods.Order(StringComparer.Ordinal));
                    break;
                case QueueFunction queue:
                    Assert.Equal("queueTrigger", entry.TriggerType);
                    Assert.Equal(trigger["queueName"]!.GetValue<string>(), queue.QueueName);
                    break;
                case TimerFunction timer:
                    Assert.Equal("timerTrigger", entry.TriggerType);
                    Assert.Equal(trigger["schedule"]!.GetValue<string>(), timer.Schedule);
                    break;
                default:
                    Assert.Fail($"{entry.Name}: unexpected kind {function.GetType().Name}");
                    break;
            }
        }
    }

    [Fact]
    public async Task RunningLocalHostServesEveryFunctionInMetadata()
    {
        await using var host = await TestHost.StartAsync(backgroundTriggers: true);
        var metadata = FunctionsMetadataEntry.Load();

        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .ToDictionary(endpoint => endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName);
        var listeners = host.Services.GetServices<IHostedService>().OfType<QueueTriggerListener>().Select(listener => listener.Function.Name).ToList();
        var timers = host.Services.GetServices<IHostedService>().OfType<TimerTriggerScheduler>().Select(timer => timer.Function.Name).ToList();

        foreach (var entry in metadata)
        {
            switch (entry.TriggerType)
            {
                case "httpTrigger":
                    Assert.True(endpoints.TryGetValue(entry.Name, out var endpoint), $"{entry.Name} has no route");
                    Assert.Equal(entry.Trigger["route"]!.GetValue<string>(), endpoint.RoutePattern.RawText?.TrimStart('/')); // host.json sets no prefix: routes spell "api/"
                    var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods;
                    Assert.Equal(entry.Trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order(StringComparer.Ordinal), methods.Order(StringComparer.Ordinal));
                    break;
                case "queueTrigger":
                    Assert.Contains(entry.Name, listeners);
                    break;
                case "timerTrigger":
                    Assert.Contains(entry.Name, timers);
                    break;
                default:
                    Assert.Fail($"{entry.Name}: trigger {entry.TriggerType} is not served by the local host");
                    break;
            }
        }

        // The local host's own development sign-in routes (docs/web-app.md) are not functions: the function app has none.
        Assert.Equal(metadata.Count(entry => entry.TriggerType == "httpTrigger"), endpoints.Keys.Count(name => !name.StartsWith("DevelopmentSignIn", StringComparison.Ordinal)));
    }
}
