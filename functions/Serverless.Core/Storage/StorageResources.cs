namespace Serverless.Storage;

/// <summary>
/// The tables, work queues and blob containers the features need. Each feature adds its own when it
/// registers; <see cref="StorageInitializer"/> creates them all once at start-up.
/// Names here are base names: <see cref="StorageNames"/> applies the configured prefix.
/// </summary>
public sealed class StorageResources
{
    public ISet<string> Tables { get; } = new SortedSet<string>(StringComparer.Ordinal);

    /// <summary>Work queues. Each also gets its <c>-poison</c> queue.</summary>
    public ISet<string> WorkQueues { get; } = new SortedSet<string>(StringComparer.Ordinal);

    public ISet<string> Containers { get; } = new SortedSet<string>(StringComparer.Ordinal);
}
