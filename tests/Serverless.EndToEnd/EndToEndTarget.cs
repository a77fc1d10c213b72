using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serverless.DevHost;

namespace Serverless.EndToEnd;

/// <summary>
/// What the suite talks to: <c>E2E_BASE_URL</c> (a <c>func start</c> on a developer's machine, or a live
/// deployment: e.g. <c>https://kodomo-func.azurewebsites.net</c>), else the local host started here over
/// the test Azurite (<c>SERVERLESS_TEST_STORAGE</c>). Only plain HTTP is used, so the same tests run
/// against all three. Credentials for later features come from <c>E2E_*</c> variables too.
/// </summary>
public sealed class EndToEndTarget : IAsyncLifetime
{
    private WebApplication? localHost;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>True when the tests run against a host this process started.</summary>
    public bool IsLocalHost => localHost is not null;

    public async Task InitializeAsync()
    {
        var baseUrl = Environment.GetEnvironmentVariable("E2E_BASE_URL");
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            localHost = await StartLocalHostAsync();
            baseUrl = localHost.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }

        Client = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (localHost is not null)
        {
            await localHost.StopAsync();
            await localHost.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartLocalHostAsync()
    {
        var storage = Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", storage,
            "--Storage:NamePrefix", "e" + Guid.NewGuid().ToString("N")[..12],
        ];
        var app = DevHostApplication.Build(args, new DevHostOptions());
        await app.StartAsync();
        return app;
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndTarget>
{
    public const string Name = "end-to-end";
}
