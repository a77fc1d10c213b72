using System.Collections.Concurrent;
using Serverless.Tests.Reliability.Faults;

namespace Serverless.Tests.Reliability.Crashes;

/// <summary>
/// Counts a queue handler's steps (its storage requests) across the three proxies, from the moment it is armed, and kills
/// the host at one <see cref="CrashPoint"/>. A step is every table and blob request, and every queue request that changes
/// a message (send, update, delete): the listeners' polling (receives), queue creation and metadata reads are not steps.
/// Rules of earlier points stay in the proxies, disarmed.
/// </summary>
public sealed class HandlerSteps
{
    private readonly ConcurrentQueue<string> seen = new();
    private readonly CrashPoint? point;
    private int count;
    private volatile bool armed = true;

    private HandlerSteps(CrashPoint? point) => this.point = point;

    /// <summary>The steps seen, in the order the proxies read them (requests on parallel connections may swap places).</summary>
    public IReadOnlyList<string> Seen => [.. seen];

    public int Count => Volatile.Read(ref count);

    /// <summary>Whether the crash happened.</summary>
    public bool Fired { get; private set; }

    public static bool IsStep(string proxy, ProxiedRequest request)
        => proxy != "queue" || (request.Method != "GET" && request.Method != "HEAD" && request.Path.Contains("/messages", StringComparison.Ordinal));

    /// <summary>Only records (the calibration run).</summary>
    public static HandlerSteps Record(StorageFaults faults) => Arm(faults, null, () => { });

    /// <summary>Records, and kills with <paramref name="kill"/> at <paramref name="point"/>.</summary>
    public static HandlerSteps Arm(StorageFaults faults, CrashPoint? point, Action kill)
    {
        var steps = new HandlerSteps(point);
        foreach (var proxy in new[] { faults.Blob, faults.Queue, faults.Table })
        {
            var fault = point?.AfterAnswer == true ? Fault.KillAfterAnswer : Fault.KillBeforeForwarding;
            proxy.Add(new FaultRule($"crash {point}", request => steps.Hit(proxy.Name, request), fault)
            {
                Kill = () =>
                {
                    steps.Fired = true;
                    kill();
                },
            });
        }

        return steps;
    }

    public void Disarm() => armed = false;

    private bool Hit(string proxy, ProxiedRequest request)
    {
        if (!armed || !IsStep(proxy, request))
        {
            return false;
        }

        var number = Interlocked.Increment(ref count);
        seen.Enqueue($"{number}: {proxy} {request.Method} {Shorten(request.Target)}");
        return point is not null && number == point.Step;
    }

    private static string Shorten(string target)
    {
        var path = Uri.UnescapeDataString(target.Split('?', 2)[0]);
        return path.Length > 110 ? path[..110] + "…" : path;
    }
}
