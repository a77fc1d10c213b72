using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serverless.DevHost;
using Serverless.Functions;

namespace Serverless.Browser;

/// <summary>Token minting for the page exists on the local host over Azurite only, never in the function app.</summary>
public sealed class DevelopmentSignInTests
{
    [Fact]
    public void TheFunctionAppHasNoRouteThatMintsTokens()
    {
        var routes = FunctionCatalog.Discover(typeof(AppRegistration).Assembly).OfType<HttpFunction>().Select(function => function.Route).ToList();
        Assert.Contains("app/{*file}", routes);
        Assert.DoesNotContain(routes, route => route.StartsWith("dev", StringComparison.OrdinalIgnoreCase)
            || route.Contains("sign-in", StringComparison.OrdinalIgnoreCase)
            || route.Contains("token", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(typeof(AppRegistration).Assembly.GetTypes(), type => type.Name.Contains("DevelopmentSignIn", StringComparison.Ordinal));
    }

    [Fact]
    public void TheLocalHostMintsNothingOutsideAzurite()
    {
        var app = DevHostApplication.Build(
            [
                "--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", "",
                "--Storage:TableServiceUri", "https://example.table.core.windows.net",
                "--Storage:QueueServiceUri", "https://example.queue.core.windows.net",
                "--Storage:BlobServiceUri", "https://example.blob.core.windows.net",
            ],
            new DevHostOptions { RunBackgroundTriggers = false });
        Assert.False(DevelopmentSignIn.IsAllowed(app.Services));
    }

    [Fact]
    public async Task WithTheDevelopmentIssuerOffTheLocalHostHasNoSignInRoutes()
    {
        var storage = Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 } s ? s : "UseDevelopmentStorage=true";
        await using var app = DevHostApplication.Build(
            [
                "--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", storage, "--Storage:NamePrefix", "d" + Guid.NewGuid().ToString("N")[..12],
                "--Authentication:Development:Enabled", "false",
            ],
            new DevHostOptions { RunBackgroundTriggers = false });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        using var people = await client.GetAsync("/dev/sign-in/people");
        using var token = await client.PostAsync("/dev/sign-in/token", new StringContent("{\"subject\":\"coordinator-sato\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, people.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task OverAzuriteTheLocalHostMintsTokensForDemoPeopleOnly()
    {
        var storage = Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 } s ? s : "UseDevelopmentStorage=true";
        await using var app = DevHostApplication.Build(
            ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", storage, "--Storage:NamePrefix", "d" + Guid.NewGuid().ToString("N")[..12]],
            new DevHostOptions { RunBackgroundTriggers = false });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        using var demo = await client.PostAsync("/dev/sign-in/token", new StringContent("{\"subject\":\"teacher-tanaka\"}", System.Text.Encoding.UTF8, "application/json"));
        using var stranger = await client.PostAsync("/dev/sign-in/token", new StringContent("{\"subject\":\"someone-else\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, demo.StatusCode);
        Assert.Equal("no-store", demo.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        await app.StopAsync();
    }
}
