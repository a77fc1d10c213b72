using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Storage;

/// <summary>
/// Creates the declared tables, queues (with their poison queues) and containers when the app
/// starts, so no request pays for a missing table. Idempotent: "already exists" is success.
/// </summary>
public sealed class StorageInitializer(
    StorageClients clients,
    StorageNames names,
    IOptions<StorageResources> resources,
    ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var declared = resources.Value;
        var work = new List<Task>();
        work.AddRange(declared.Tables.Select(table => clients.Tables.CreateTableIfNotExistsAsync(names.Table(table), cancellationToken)));
        work.AddRange(declared.WorkQueues
            .SelectMany(queue => new[] { names.Queue(queue), names.PoisonQueue(queue) })
            .Select(queue => clients.Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        work.AddRange(declared.Containers.Select(container => clients.Blobs.GetBlobContainerClient(names.Container(container)).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        await Task.WhenAll(work);

        logger.LogInformation(
            "Storage ready: {TableCount} tables, {QueueCount} work queues, {ContainerCount} containers",
            declared.Tables.Count, declared.WorkQueues.Count, declared.Containers.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
