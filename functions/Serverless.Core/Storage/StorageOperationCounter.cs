using System.Collections.Concurrent;

namespace Serverless.Storage;

/// <summary>
/// Counts every storage operation the app's SDK clients send, by the function that sent it, so
/// tests can assert the exact cost of an endpoint (storage transactions are what the bill counts).
/// Counts are kept per operation shape, never per key, so memory stays bounded.
/// </summary>
public sealed class StorageOperationCounter
{
    public const string Unscoped = "(unscoped)";

    private static readonly AsyncLocal<string?> CurrentScope = new();

    private readonly ConcurrentDictionary<(string Scope, string Operation), long> counts = new();

    /// <summary>Attributes the operations of the current async flow to <paramref name="scope"/>
    /// (a function name) until disposed.</summary>
    public static IDisposable BeginScope(string scope)
    {
        var previous = CurrentScope.Value;
        CurrentScope.Value = scope;
        return new ScopeReset(previous);
    }

    internal void Record(string operation)
        => counts.AddOrUpdate((CurrentScope.Value ?? Unscoped, operation), 1, (_, n) => n + 1);

    /// <summary>The operations recorded so far for <paramref name="scope"/>, e.g. <c>table GET DeadLetters()</c> → 1.</summary>
    public IReadOnlyDictionary<string, long> For(string scope)
        => counts.Where(entry => entry.Key.Scope == scope)
            .ToDictionary(entry => entry.Key.Operation, entry => entry.Value, StringComparer.Ordinal);

    /// <summary>What <paramref name="scope"/> did between two readings of <see cref="For"/>.</summary>
    public static IReadOnlyDictionary<string, long> Difference(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
        => after
            .Select(entry => (entry.Key, Count: entry.Value - before.GetValueOrDefault(entry.Key)))
            .Where(entry => entry.Count != 0)
            .ToDictionary(entry => entry.Key, entry => entry.Count, StringComparer.Ordinal);

    private sealed class ScopeReset(string? previous) : IDisposable
    {
        public void Dispose() => CurrentScope.Value = previous;
    }
}
