using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Agencies;
using Serverless.DevHost;
using Serverless.Storage;

namespace Serverless.Benchmarks;

/// <summary>The local host in this process, over the benchmark's Azurite, with fresh storage names and quiet logs.</summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private BenchmarkHost(WebApplication app, string prefix)
    {
        this.app = app;
        Prefix = prefix;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address + "/") };
        Client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + Serverless.Identity.Tokens.DevelopmentTokens.Create(Serverless.DevHost.DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromHours(12), TimeProvider.System));
    }

    public static string Storage { get; } =
        Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";

    public HttpClient Client { get; }

    public string Prefix { get; }

    public T Get<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    public StorageOperationCounter Counter => Get<StorageOperationCounter>();

    public static async Task<BenchmarkHost> StartAsync()
    {
        var prefix = "b" + Guid.NewGuid().ToString("N")[..12];
        var options = new DevHostOptions
        {
            RunBackgroundTriggers = false,
            ConfigureServices = services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)),
        };
        var app = DevHostApplication.Build(["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", Storage, "--Storage:NamePrefix", prefix, "--Logging:LogLevel:Default", "Warning"], options);
        await app.StartAsync();
        var host = new BenchmarkHost(app, prefix);
        await DemoPeople.SaveAsync(host.Get<AgencyDirectory>(), host.Get<Serverless.Identity.People.PeopleDirectory>(), CancellationToken.None);

        return host;
    }

    /// <summary>
    /// Starts the local host's listener for one queue function, as <see cref="DevHostApplication"/> runs it when background
    /// triggers are on (host.json's batch size, lease and back-off from 100 ms to <c>maxPollingInterval</c>), without the
    /// timers and the other queues. Its own receives and deletes are counted under <paramref name="counterScope"/> (the
    /// function's work under the function's name, as always). Dispose to stop it.
    /// </summary>
    public async Task<IAsyncDisposable> StartQueueListenerAsync(string functionName, string counterScope)
    {
        var function = Get<IReadOnlyList<FunctionDescriptor>>().OfType<QueueFunction>().Single(queue => queue.Name == functionName);
        var listener = ActivatorUtilities.CreateInstance<QueueTriggerListener>(app.Services, function);
        using (StorageOperationCounter.BeginScope(counterScope))
        {
            // The scope flows into the listener's loop, which starts here.
            await listener.StartAsync(CancellationToken.None);
        }

        return new RunningListener(listener);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed class RunningListener(QueueTriggerListener listener) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await listener.StopAsync(CancellationToken.None);
            listener.Dispose();
        }
    }
}
