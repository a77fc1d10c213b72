using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.DeadLetters;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Health;

/// <summary>
/// Checks that each storage service answers, with one cheap operation each (three in all), and
/// reports the dead-letter count, which doubles as the table check. One probe answers every request for
/// <see cref="HealthOptions.CacheSeconds"/> (its <c>checkedAt</c> says when it ran), and requests that arrive while a
/// probe runs share it: anonymous callers cannot turn health into storage load.
/// </summary>
public sealed class HealthService(
    StorageClients clients,
    StorageNames names,
    DeadLetterService deadLetters,
    TimeProvider clock,
    IOptions<HealthOptions> options,
    ILogger<HealthService> logger)
{
    public const string Container = "health";

    private readonly Lock gate = new();
    private readonly TimeSpan cacheFor = TimeSpan.FromSeconds(options.Value.CacheSeconds);
    private Task<HealthReport>? probe;
    private DateTimeOffset probeStarted;

    public static string Version { get; } =
        typeof(HealthService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The latest probe's report if it started less than <see cref="HealthOptions.CacheSeconds"/> ago, else a new probe's.</summary>
    public Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        Task<HealthReport> current;
        lock (gate)
        {
            if (probe is null || now - probeStarted >= cacheFor || probe.IsFaulted || probe.IsCanceled)
            {
                // Not the caller's token: the probe is shared, and one caller leaving must not fail the others.
                probe = ProbeAsync(CancellationToken.None);
                probeStarted = now;
            }

            current = probe;
        }

        return current.WaitAsync(cancellationToken);
    }

    private async Task<HealthReport> ProbeAsync(CancellationToken cancellationToken)
    {
        var deadLetterCount = CheckAsync("tables", () => deadLetters.CountAsync(cancellationToken));
        var queues = CheckAsync("queues", () => clients.Queues.GetQueueClient(names.Queue(HealthProbeService.Queue)).GetPropertiesAsync(cancellationToken));
        var blobs = CheckAsync("blobs", () => clients.Blobs.GetBlobContainerClient(names.Container(Container)).GetPropertiesAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(deadLetterCount, queues, blobs);

        var (tablesOk, count) = await deadLetterCount;
        var storage = new StorageHealth(State(tablesOk), State((await queues).Ok), State((await blobs).Ok));
        var healthy = tablesOk && (await queues).Ok && (await blobs).Ok;
        return new HealthReport(
            healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy,
            Version,
            storage,
            new DeadLetterHealth(count.Count, count.Capped),
            JapanTime.Now(clock));
    }

    private static string State(bool ok) => ok ? HealthStatus.Reachable : HealthStatus.Unreachable;

    private async Task<(bool Ok, T Value)> CheckAsync<T>(string service, Func<Task<T>> check)
    {
        try
        {
            return (true, await check());
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or TaskCanceledException or AggregateException)
        {
            logger.LogError(ex, "Health check: storage service {Service} unreachable", service);
            return (false, default!);
        }
    }
}
