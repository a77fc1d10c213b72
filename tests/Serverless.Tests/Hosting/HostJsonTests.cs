using System.Net;
using Serverless.DevHost;
using Serverless.Testing;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Hosting;

public sealed class HostJsonTests
{
    [Fact]
    public void ShippedHostJsonIsTheRootOneAndSetsPrefixBase64AndRetryPolicy()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "host.json");
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")), File.ReadAllText(shipped));

        var settings = HostSettings.Load(shipped);

        // Empty: every route spells its own "api/" so that "api/admin/..." exists at all (the Functions
        // host refuses any route template that starts with "admin", whatever the prefix).
        Assert.Equal("", settings.RoutePrefix);
        Assert.Equal(5, settings.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.VisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.MaxPollingInterval);
        Assert.Equal(16, settings.BatchSize);
    }

    /// <summary>The host's own telemetry is outside the worker (IdsOnlyTelemetry cannot clean it): it collects no extended
    /// HTTP details and streams no Live Metrics (docs/telemetry.md).</summary>
    [Fact]
    public void TheHostsOwnTelemetryCollectsNoExtendedHttpDetailsAndNoLiveMetrics()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var insights = json.RootElement.GetProperty("logging").GetProperty("applicationInsights");

        Assert.False(insights.GetProperty("enableLiveMetrics").GetBoolean());
        Assert.False(insights.GetProperty("httpAutoCollectionOptions").GetProperty("enableHttpTriggerExtendedInfoCollection").GetBoolean());
        Assert.Equal("Request;Exception", insights.GetProperty("samplingSettings").GetProperty("excludedTypes").GetString());
    }

    [Fact]
    public void SilentHostJsonGetsTheFunctionsHostDefaults()
    {
        var path = WriteTemp("""{ "version": "2.0" }""");

        var settings = HostSettings.Load(path);

        Assert.Equal("api", settings.RoutePrefix);
        Assert.Equal(5, settings.MaxDequeueCount);
        Assert.Equal(TimeSpan.Zero, settings.VisibilityTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.MaxPollingInterval);
    }

    [Fact]
    public void OtherMessageEncodingIsRefusedBecauseTheAppSendsBase64()
    {
        var path = WriteTemp("""{ "version": "2.0", "extensions": { "queues": { "messageEncoding": "none" } } }""");

        var error = Assert.Throws<InvalidOperationException>(() => HostSettings.Load(path));

        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoutesFollowTheRoutePrefix()
    {
        await using var host = await TestHost.StartAsync(hostSettings: settings => settings.RoutePrefix = "v1");

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("v1/api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("api/health")).StatusCode);
    }

    [Fact]
    public void NoRouteStartsWithTheSegmentTheFunctionsHostReserves()
    {
        // The host refuses a route template starting with "admin" (its own /admin API) and the function
        // then never comes up in Azure, while the local host would serve it happily.
        var routes = FunctionCatalog.Discover(typeof(Serverless.Functions.AppRegistration).Assembly).OfType<HttpFunction>().Select(function => function.Route).ToList();

        Assert.NotEmpty(routes);
        Assert.All(routes, route => Assert.False(route.TrimStart('/').StartsWith("admin", StringComparison.OrdinalIgnoreCase), route));
        Assert.Contains(routes, route => route.StartsWith("api/admin/", StringComparison.Ordinal));
    }

    private static string WriteTemp(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
