using Microsoft.Extensions.Options;

namespace Serverless.Storage;

/// <summary>
/// Turns base names into real ones: with the configured prefix, so each test gets fresh tables,
/// queues and containers on a shared Azurite. The prefix is empty in Azure (options validation
/// enforces it), where queue names must equal the ones the queue-trigger attributes declare.
/// </summary>
public sealed class StorageNames(IOptions<StorageOptions> options)
{
    private readonly string prefix = options.Value.NamePrefix;

    public string Table(string baseName) => prefix + baseName;

    public string Container(string baseName) => (prefix + baseName).ToLowerInvariant();

    public string Queue(string baseName) => prefix.Length == 0 ? baseName : prefix.ToLowerInvariant() + "-" + baseName;

    /// <summary>Where the Functions host moves a message that failed <c>maxDequeueCount</c> times.</summary>
    public string PoisonQueue(string baseName) => Queue(baseName) + "-poison";
}
