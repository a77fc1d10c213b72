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

    /// <summary>The Authorization header value of a coordinator: <c>E2E_AUTHORIZATION</c>, or the local
    /// host's demo coordinator. Required for a remote target.</summary>
    public string CoordinatorAuthorization { get; private set; } = "";

    /// <summary>The agency that leads the cases the suite registers (<c>E2E_LEAD_AGENCY</c>; the demo town's division by default).</summary>
    public string LeadAgencyId { get; } = Environment.GetEnvironmentVariable("E2E_LEAD_AGENCY") is { Length: > 0 } agency ? agency : "midori-kodomo-ka";

    /// <summary>True when the tests run against a host this process started.</summary>
    public bool IsLocalHost => localHost is not null;

    public async Task InitializeAsync()
    {
        var baseUrl = Environment.GetEnvironmentVariable("E2E_BASE_URL");
        CoordinatorAuthorization = Environment.GetEnvironmentVariable("E2E_AUTHORIZATION") ?? "";
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            localHost = await StartLocalHostAsync();
            baseUrl = localHost.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            CoordinatorAuthorization = CoordinatorAuthorization.Length > 0
                ? CoordinatorAuthorization
                : "Bearer " + Serverless.Identity.Tokens.DevelopmentTokens.Create(Serverless.DevHost.DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromHours(2), TimeProvider.System);
        }
        else if (CoordinatorAuthorization.Length == 0)
        {
            throw new InvalidOperationException("E2E_BASE_URL is set but E2E_AUTHORIZATION is not: give the Authorization header value of a coordinator.");
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
        var app = DevHostApplication.Build(args, new DevHostOptions { SeedDemoData = true });
        await app.StartAsync();
        return app;
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndTarget>
{
    public const string Name = "end-to-end";
}
