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
    private readonly ConcurrentDictionary<(string Scope, string Operation), long> refused = new();
    private readonly ConcurrentQueue<StorageCall> calls = new();
    private long clock;

    /// <summary>When set (tests), each call is also kept with when it was sent and answered, so a test can tell which
    /// calls ran side by side and which waited for another (<see cref="SequentialDepth"/>).</summary>
    public bool KeepCalls { get; set; }

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

    /// <summary>Storage answered a call with an error status (4xx, 5xx): a write so answered changed nothing.</summary>
    internal void RecordRefused(string operation)
        => refused.AddOrUpdate((CurrentScope.Value ?? Unscoped, operation), 1, (_, n) => n + 1);

    /// <summary>A call was sent: returns the tick to pass to <see cref="Answered"/> (0 when calls are not kept).</summary>
    internal long Sent() => KeepCalls ? Interlocked.Increment(ref clock) : 0;

    internal void Answered(string operation, long sentAt, string? filter = null)
    {
        if (KeepCalls && sentAt > 0)
        {
            calls.Enqueue(new StorageCall(CurrentScope.Value ?? Unscoped, operation, sentAt, Interlocked.Increment(ref clock)) { Filter = filter });
        }
    }

    /// <summary>The calls kept for <paramref name="scope"/> (with <see cref="KeepCalls"/> set), in the order they were answered.</summary>
    public IReadOnlyList<StorageCall> CallsOf(string scope) => calls.Where(call => call.Scope == scope).ToList();

    /// <summary>
    /// The longest chain of calls each sent only after the one before it was answered: how many storage round
    /// trips a request waited for one after another (calls sent side by side count once).
    /// </summary>
    public static int SequentialDepth(IReadOnlyList<StorageCall> calls)
    {
        var depth = new Dictionary<StorageCall, int>();
        foreach (var call in calls.OrderBy(call => call.SentAt))
        {
            depth[call] = 1 + depth.Where(earlier => earlier.Key.AnsweredAt < call.SentAt).Select(earlier => earlier.Value).DefaultIfEmpty(0).Max();
        }

        return depth.Values.DefaultIfEmpty(0).Max();
    }

    /// <summary>The operations recorded so far for <paramref name="scope"/>, e.g. <c>table GET DeadLetters()</c> → 1.</summary>
    public IReadOnlyDictionary<string, long> For(string scope)
        => counts.Where(entry => entry.Key.Scope == scope)
            .ToDictionary(entry => entry.Key.Operation, entry => entry.Value, StringComparer.Ordinal);

    /// <summary>The operations of <paramref name="scope"/> that storage answered with an error status (a conditional write
    /// that lost, an insert of a row that exists, a read of something missing), by shape: with <see cref="For"/>, what a
    /// request actually wrote is the writes sent less the writes refused.</summary>
    public IReadOnlyDictionary<string, long> RefusedFor(string scope)
        => refused.Where(entry => entry.Key.Scope == scope)
            .ToDictionary(entry => entry.Key.Operation, entry => entry.Value, StringComparer.Ordinal);

    /// <summary>What <paramref name="scope"/> did between two readings of <see cref="For"/>.</summary>
    public static IReadOnlyDictionary<string, long> Difference(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
        => after
            .Select(entry => (entry.Key, Count: entry.Value - before.GetValueOrDefault(entry.Key)))
            .Where(entry => entry.Count != 0)
            .ToDictionary(entry => entry.Key, entry => entry.Count, StringComparer.Ordinal);

    /// <summary>One storage call: its shape, and the counter's ticks when it was sent and answered.</summary>
    public sealed record StorageCall(string Scope, string Operation, long SentAt, long AnsweredAt)
    {
        /// <summary>A table query's filter (<c>PartitionKey eq 'open'</c>), null for any other call: which partition it read.</summary>
        public string? Filter { get; init; }
    }

    private sealed class ScopeReset(string? previous) : IDisposable
    {
        public void Dispose() => CurrentScope.Value = previous;
    }
}
