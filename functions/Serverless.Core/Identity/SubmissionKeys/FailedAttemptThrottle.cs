using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Serverless.Identity.ClientAddresses;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// Limits failed key attempts per client address: after <see cref="SubmissionKeyOptions.MaxFailedAttempts"/>
/// failures within a window of <see cref="SubmissionKeyOptions.FailedAttemptWindowSeconds"/> (counted from
/// the first failure), failed attempts from the address are answered 429 until that window ends. A valid key from a
/// throttled address is still accepted: many offices may share one address (a municipality's NAT).
/// </summary>
/// <remarks>
/// <para>
/// Per address, never per key id: key ids are visible, so locking a key after failures would let anyone
/// lock a school's form out. A failure from one address never blocks another address. Successful
/// attempts are not counted and do not clear the count.
/// </para>
/// <para>
/// IPv6 addresses count per /64: one subscriber or host is normally given a whole /64, and counting single
/// IPv6 addresses would let anyone with a /64 try 2^64 times. IPv4-mapped IPv6 counts as IPv4. An unknown
/// address (null) shares one count; it only happens when the proxy settings are wrong.
/// </para>
/// <para>
/// In memory, per instance: each Functions instance counts on its own, so with K instances an address
/// may fail up to K times the limit. That is acceptable: a secret is 256 random bits, so the throttle is
/// not what makes guessing hopeless; it is there to tell scanning noise apart (429, Retry-After) cheaply, without a
/// shared store that would cost a transaction per attempt. Every well-formed attempt still costs one point read of
/// the key's row, throttled or not: that read is the only way to accept a valid key from a shared address. Memory is bounded:
/// at most <see cref="SubmissionKeyOptions.MaxTrackedAddresses"/> addresses, the oldest windows forgotten
/// first (an attacker cycling through more addresses than that gains nothing the 256 bits did not already deny).
/// </para>
/// </remarks>
public sealed class FailedAttemptThrottle
{
    private const string UnknownAddress = "unknown";

    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<Window>> windows = new(StringComparer.Ordinal);

    /// <summary>Windows by start time, oldest first: expired ones and eviction candidates sit at the front.</summary>
    private readonly LinkedList<Window> byStart = new();

    private readonly TimeProvider clock;
    private readonly int maxFailures;
    private readonly TimeSpan window;
    private readonly int maxTracked;

    public FailedAttemptThrottle(IOptions<SubmissionKeyOptions> options, TimeProvider clock)
    {
        this.clock = clock;
        maxFailures = options.Value.MaxFailedAttempts;
        window = TimeSpan.FromSeconds(options.Value.FailedAttemptWindowSeconds);
        maxTracked = options.Value.MaxTrackedAddresses;
    }

    /// <summary>How many addresses (or /64s) are tracked now.</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (gate)
            {
                return windows.Count;
            }
        }
    }

    /// <summary>
    /// Null when <paramref name="address"/> may try a key; otherwise the whole seconds until it may
    /// (at least 1), for a <c>Retry-After</c> header. Ask before authenticating, and refuse only if the key then fails.
    /// </summary>
    public int? RetryAfterSeconds(IPAddress? address)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            if (!windows.TryGetValue(Bucket(address), out var node))
            {
                return null;
            }

            var remaining = node.Value.Start + window - now;
            if (remaining <= TimeSpan.Zero)
            {
                Remove(node);
                return null;
            }

            return node.Value.Failures >= maxFailures ? Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds)) : null;
        }
    }

    /// <summary>Counts one failed attempt (any <see cref="SubmissionKeyAuthentication.Failed"/>) from <paramref name="address"/>.</summary>
    public void RecordFailure(IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var bucket = Bucket(address);
        lock (gate)
        {
            if (windows.TryGetValue(bucket, out var node))
            {
                if (node.Value.Start + window > now)
                {
                    node.Value.Failures++;
                    return;
                }

                Remove(node);
            }

            DropExpired(now);
            while (windows.Count >= maxTracked)
            {
                Remove(byStart.First!);
            }

            windows[bucket] = byStart.AddLast(new Window(bucket, now));
        }
    }

    private void DropExpired(DateTimeOffset now)
    {
        while (byStart.First is { } oldest && oldest.Value.Start + window <= now)
        {
            Remove(oldest);
        }
    }

    private void Remove(LinkedListNode<Window> node)
    {
        byStart.Remove(node);
        windows.Remove(node.Value.Bucket);
    }

    private static string Bucket(IPAddress? address)
    {
        if (address is null)
        {
            return UnknownAddress;
        }

        var normalized = ClientAddress.Normalize(address);
        if (normalized.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return normalized.ToString();
        }

        var bytes = normalized.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    private sealed class Window(string bucket, DateTimeOffset start)
    {
        public string Bucket { get; } = bucket;

        public DateTimeOffset Start { get; } = start;

        public int Failures { get; set; } = 1;
    }
}
