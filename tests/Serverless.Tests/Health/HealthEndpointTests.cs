using System.Net;
using System.Text.Json;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task HealthReportsReachableStorageVersionAndNoDeadLetters()
    {
        await using var host = await TestHost.StartAsync();

        var response = await host.Client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.Equal("reachable", root.GetProperty("storage").GetProperty("tables").GetString());
        Assert.Equal("reachable", root.GetProperty("storage").GetProperty("queues").GetString());
        Assert.Equal("reachable", root.GetProperty("storage").GetProperty("blobs").GetString());
        Assert.Equal(0, root.GetProperty("deadLetters").GetProperty("count").GetInt32());
        Assert.False(root.GetProperty("deadLetters").GetProperty("capped").GetBoolean());
        Assert.EndsWith("+09:00", root.GetProperty("checkedAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            ["checkedAt", "clientAddress", "deadLetters", "status", "storage", "version"],
            root.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HealthCostsExactlyThreeStorageOperations()
    {
        await using var host = await TestHost.StartAsync();
        var before = host.Counter.For("Health");

        var response = await host.Client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var operations = Serverless.Storage.StorageOperationCounter.Difference(before, host.Counter.For("Health"));
        Assert.Equal(
            new Dictionary<string, long>
            {
                [$"table GET {host.Prefix}DeadLetters()"] = 1,
                [$"queue GET {host.Prefix.ToLowerInvariant()}-health-probes"] = 1,
                [$"blob GET {host.Prefix.ToLowerInvariant()}health"] = 1,
            },
            operations);
    }

    [Fact]
    public async Task ManyAnonymousHealthRequestsCostOneStorageProbePerCacheWindow()
    {
        // Health is open to anyone: without the cache, each request would cost three storage operations.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        await using var host = await TestHost.StartAsync(clock: clock);
        var before = host.Counter.For("Health");

        for (var i = 0; i < 20; i++)
        {
            using var response = await host.Client.GetAsync("api/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            clock.Advance(TimeSpan.FromMilliseconds(700)); // 14 s in all: inside the 15 s default window
        }

        var inOneWindow = Serverless.Storage.StorageOperationCounter.Difference(before, host.Counter.For("Health"));
        clock.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await host.Client.GetAsync("api/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }));
        var inTwoWindows = Serverless.Storage.StorageOperationCounter.Difference(before, host.Counter.For("Health"));

        Assert.Equal(3, inOneWindow.Values.Sum());
        Assert.Equal(6, inTwoWindows.Values.Sum()); // ten requests at once after the window share one new probe
    }

    [Fact]
    public async Task ACacheOfZeroSecondsProbesOnEveryRequest()
    {
        await using var host = await TestHost.StartAsync(settings: new Dictionary<string, string> { ["Health:CacheSeconds"] = "0" });
        var before = host.Counter.For("Health");

        (await host.Client.GetAsync("api/health")).Dispose();
        (await host.Client.GetAsync("api/health")).Dispose();

        Assert.Equal(6, Serverless.Storage.StorageOperationCounter.Difference(before, host.Counter.For("Health")).Values.Sum());
    }

    [Fact]
    public async Task HealthCountsDeadLetters()
    {
        await using var host = await TestHost.StartAsync();
        var table = host.Storage.Tables.GetTableClient(host.Names.Table("DeadLetters"));
        await table.AddEntityAsync(new Azure.Data.Tables.TableEntity("health-probes", "m1"));
        await table.AddEntityAsync(new Azure.Data.Tables.TableEntity("health-probes", "m2"));

        using var body = JsonDocument.Parse(await host.Client.GetStringAsync("api/health"));

        Assert.Equal(2, body.RootElement.GetProperty("deadLetters").GetProperty("count").GetInt32());
    }

    /// <summary>ops/verify reads this to check Network:TrustedProxyHops on a deployment (the test host trusts one hop).</summary>
    [Fact]
    public async Task HealthTellsTheCallerTheAddressTheAppResolvedOrNullWhenItCannot()
    {
        await using var host = await TestHost.StartAsync();
        await using var twoHops = await TestHost.StartAsync(settings: new Dictionary<string, string> { ["Network:TrustedProxyHops"] = "2" });

        async Task<JsonElement> AddressAsync(TestHost target, string forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await target.Client.SendAsync(request);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("clientAddress").Clone();
        }

        Assert.Equal("198.51.100.4", (await AddressAsync(host, "192.0.2.1, 198.51.100.4")).GetString());
        Assert.Equal(JsonValueKind.Null, (await AddressAsync(twoHops, "198.51.100.4")).ValueKind);
    }
}
