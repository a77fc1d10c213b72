using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Serverless.DevHost;
using Serverless.Storage;

namespace Serverless.Tests.Infrastructure;

/// <summary>
/// The local host on a free loopback port over the test Azurite, with its own storage names, a log
/// capture, and optionally a fake clock. Each test starts its own, so no test depends on another's data.
/// Queue listeners and timers run only when asked for.
/// </summary>
/// <remarks>
/// Client addresses are as in Azure: one trusted proxy (the Functions front end) appends the address it saw
/// to <c>X-Forwarded-For</c>, and the app takes that entry. A test names its client there; a request that
/// names none carries <see cref="LocalClient"/>, the entry the front end would write for a client on this
/// machine. The admin API answers loopback only (<see cref="DevHostApplication.LoopbackNetworks"/>, as the
/// local host), so a test calling it from 203.0.113.x is outside.
/// </remarks>
public sealed class TestHost : IAsyncDisposable
{
    /// <summary>The client address of a request that does not name one in <c>X-Forwarded-For</c>.</summary>
    public const string LocalClient = "127.0.0.1";

    private readonly WebApplication app;

    private TestHost(WebApplication app, string prefix, LogCapture logs, FakeTimeProvider? clock, TelemetryCapture? telemetry)
    {
        Telemetry = telemetry;
        this.app = app;
        Prefix = prefix;
        Logs = logs;
        Clock = clock;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address + "/") };
        // A default header: HttpClient leaves it out when the request sets its own (it does not merge the two).
        Client.DefaultRequestHeaders.TryAddWithoutValidation("X-Forwarded-For", LocalClient);
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public string Prefix { get; }

    public LogCapture Logs { get; }

    /// <summary>What Application Insights would have sent, when the host was started with telemetry on.</summary>
    public TelemetryCapture? Telemetry { get; }

    /// <summary>Set when the host was started with a fake clock.</summary>
    public FakeTimeProvider? Clock { get; }

    public StorageOperationCounter Counter => Services.GetRequiredService<StorageOperationCounter>();

    public StorageClients Storage => Services.GetRequiredService<StorageClients>();

    public StorageNames Names => Services.GetRequiredService<StorageNames>();

    /// <summary>Registers みどり市's agencies, people and memberships in this host's fresh tables (every
    /// host does at start; call again after deleting them), each person as having signed in before through the
    /// development issuer. So a test measures the steady state: the one-time pin of a first sign-in
    /// (<c>IssuerPinningTests</c> covers it, with a person of its own) is not counted in every cost test.</summary>
    public async Task SaveDemoAgenciesAsync()
    {
        var people = Get<Serverless.Identity.People.PeopleDirectory>();
        await DemoPeople.SaveAsync(Get<Serverless.Agencies.AgencyDirectory>(), people, CancellationToken.None);
        var pin = new Serverless.Identity.People.PinnedSignIn(Serverless.Identity.Tokens.DevelopmentTokens.DefaultIssuer, TenantId: null, (Clock ?? TimeProvider.System).GetUtcNow()); // not the host's TimeProvider: a test may break that one on purpose
        await Task.WhenAll(DemoPeople.People.Select(person => people.PinSignInAsync(DemoPeople.PersonId(person.Subject), pin, CancellationToken.None)));
    }

    /// <summary>Adds the bearer token of a demo person (by subject) to a request.</summary>
    public void SignIn(HttpRequestMessage request, string subject)
        => request.Headers.TryAddWithoutValidation("Authorization", TestTokens.Bearer(this, subject));

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <param name="settings">Configuration that replaces the test host's (e.g. <c>Administration:AllowedNetworks</c>).</param>
    /// <param name="seedDemoData">Seed みどり市's cases and timelines at start, as <c>tools/Dev start</c> does.</param>
    /// <param name="telemetry">Turn Application Insights on (as a connection string in the app settings does), sending to a
    /// <see cref="TelemetryCapture"/> instead of Azure.</param>
    public static async Task<TestHost> StartAsync(
        bool backgroundTriggers = false,
        FakeTimeProvider? clock = null,
        Action<HostSettings>? hostSettings = null,
        Action<IServiceCollection>? services = null,
        bool seedDirectory = true,
        IReadOnlyDictionary<string, string>? settings = null,
        bool seedDemoData = false,
        bool telemetry = false)
    {
        var capture = telemetry ? new TelemetryCapture() : null;
        var prefix = TestStorage.NewPrefix();
        var logs = new LogCapture();
        var options = new DevHostOptions
        {
            RunBackgroundTriggers = backgroundTriggers,
            SeedDemoData = seedDemoData,
            ConfigureHostSettings = hostSettings,
            ConfigureServices = collection =>
            {
                collection.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
                if (clock is not null)
                {
                    collection.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
                }

                if (capture is not null)
                {
                    collection.Replace(ServiceDescriptor.Singleton<Microsoft.ApplicationInsights.Channel.ITelemetryChannel>(capture));
                }

                services?.Invoke(collection);
            },
        };
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", TestStorage.ConnectionString,
            "--Storage:NamePrefix", prefix,
            "--Network:TrustedProxyHops", "1",
            .. (settings ?? new Dictionary<string, string>()).Select(setting => $"--{setting.Key}={setting.Value}"),
            .. (capture is null ? [] : new[] { $"--{Serverless.Functions.Telemetry.TelemetryRegistration.ConnectionStringSetting}={TelemetryCapture.ConnectionString}" }),
        ];
        var app = DevHostApplication.Build(args, options);
        await app.StartAsync();
        var host = new TestHost(app, prefix, logs, clock, capture);
        if (seedDirectory)
        {
            await host.SaveDemoAgenciesAsync();
        }

        return host;
    }

    /// <summary>Waits for a condition that background work makes true, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds}s waiting until {what}.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
