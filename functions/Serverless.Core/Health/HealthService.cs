using System.Reflection;
using Microsoft.Extensions.Logging;
using Serverless.DeadLetters;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Health;

/// <summary>
/// Checks that each storage service answers, with one cheap operation each (three in all), and
/// reports the dead-letter count, which doubles as the table check.
/// </summary>
public sealed class HealthService(
    StorageClients clients,
    StorageNames names,
    DeadLetterService deadLetters,
    TimeProvider clock,
    ILogger<HealthService> logger)
{
    public const string Container = "health";

    public static string Version { get; } =
        typeof(HealthService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
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
