using Microsoft.Extensions.Options;

namespace Serverless.Storage;

/// <summary>
/// Turns base names into real ones. Tables and containers carry the configured prefix (fresh names
/// per test class); queue names do not, because queue triggers name their queue in an attribute.
/// </summary>
public sealed class StorageNames(IOptions<StorageOptions> options)
{
    private readonly string prefix = options.Value.NamePrefix;

    public string Table(string baseName) => prefix + baseName;

    public string Container(string baseName) => (prefix + baseName).ToLowerInvariant();

    public static string PoisonQueue(string workQueue) => workQueue + "-poison";
}
