using System.Diagnostics;
using Azure.Storage.Queues;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Reliability.Faults;
using Xunit.Abstractions;

namespace Serverless.Tests.Reliability.Crashes;

/// <summary>
/// The crash loop for one queue handler. Calibrate: a warm host (its first event handled, so lazy set-up is behind it)
/// handles one event while <see cref="HandlerSteps"/> records its steps 1..N. Then for each chosen crash point, with a
/// fresh event: the running host is killed at that point (by the proxy, see <see cref="Fault.KillBeforeForwarding"/>),
/// a new host process starts without faults, the prefix's queues settle (empty, nothing in poison), and the scenario's
/// invariants are checked by reading Azurite directly. The new host is the one the next point kills.
/// </summary>
public sealed class CrashLoop(ITestOutputHelper output, StorageFaults faults, string prefix, IReadOnlyDictionary<string, string>? hostSettings = null) : IDisposable
{
    /// <summary>How long a settled queue is waited for (a crashed message comes back after the host's lease).</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(90);

    private HostProcess? host;
    private int hosts;

    /// <summary>Runs the calibration and every point <paramref name="choose"/> picks from the calibrated steps.
    /// Returns the calibrated steps.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CrashScenario scenario, Func<IReadOnlyList<string>, IReadOnlyList<CrashPoint>> choose)
    {
        var watch = Stopwatch.StartNew();
        host = StartHost();
        var warmUp = await scenario.NewEventAsync(await PrepareAsync(scenario));
        await SettleAsync(scenario, warmUp, "warm-up");

        var prepared = await PrepareAsync(scenario);
        var calibration = HandlerSteps.Record(faults);
        var calibrated = await scenario.NewEventAsync(prepared);
        await SettleAsync(scenario, calibrated, "calibration");
        calibration.Disarm();
        var steps = calibration.Seen;
        output.WriteLine($"{scenario.Name}: {steps.Count} steps on a warm host ({watch.Elapsed.TotalSeconds:F1} s so far):");
        foreach (var step in steps)
        {
            output.WriteLine("  " + step);
        }

        Assert.NotEmpty(steps);
        var points = choose(steps);
        output.WriteLine($"{scenario.Name}: crash points ({points.Count}): {string.Join(", ", points)}");
        var missed = new List<CrashPoint>();
        foreach (var point in points)
        {
            var victim = host;
            prepared = await PrepareAsync(scenario);
            var crash = HandlerSteps.Arm(faults, point, victim.Kill);
            var theEvent = await scenario.NewEventAsync(prepared);
            await victim.WaitForExitAsync(SettleTimeout);
            crash.Disarm();
            if (!crash.Fired)
            {
                // A run with fewer steps than the calibration's (parallel reads can merge): the point was not reached.
                missed.Add(point);
                await SettleAsync(scenario, theEvent, $"{point} (not reached: {crash.Count} steps)");
                continue;
            }

            Assert.True(victim.HasExited, $"{point}: the host did not die. {victim.Output}");
            victim.Dispose();
            host = StartHost();
            await SettleAsync(scenario, theEvent, point.ToString());
        }

        output.WriteLine($"{scenario.Name}: {points.Count - missed.Count} crash points passed, {missed.Count} not reached ({string.Join(", ", missed)}); "
            + $"{hosts} host processes; {watch.Elapsed.TotalSeconds:F1} s in all");
        Assert.True(missed.Count <= points.Count / 10, $"{missed.Count} of {points.Count} crash points were never reached: {string.Join(", ", missed)}");
        return steps;
    }

    /// <summary>Every point: before and after each step.</summary>
    public static IReadOnlyList<CrashPoint> AllPoints(int steps)
        => [.. Enumerable.Range(1, steps).SelectMany(step => new[] { new CrashPoint(step, false), new CrashPoint(step, true) })];

    /// <summary>
    /// All points when <c>CRASH_POINTS=all</c>; otherwise <paramref name="sample"/> of them drawn with a seed (<c>CRASH_SEED</c>
    /// or the time), the first and last step always in, and both points of every step <paramref name="always"/> picks
    /// (a step that once hid a bug). The seed is printed so a failure can be replayed; <c>CRASH_POINTS=after:41,before:42</c>
    /// runs the points named.
    /// </summary>
    public IReadOnlyList<CrashPoint> Sample(IReadOnlyList<string> calibrated, int sample, Func<string, bool>? always = null)
    {
        var steps = calibrated.Count;
        var all = AllPoints(steps);
        if (Environment.GetEnvironmentVariable("CRASH_POINTS") is { } named && named.Contains(':', StringComparison.Ordinal))
        {
            // e.g. CRASH_POINTS=after:41,before:42 replays those points only
            var chosen = named.Split(',').Select(point => point.Split(':')).Select(parts => new CrashPoint(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[0] == "after")).ToList();
            output.WriteLine($"crash points: {string.Join(", ", chosen)} (CRASH_POINTS={named})");
            return chosen;
        }

        if (Environment.GetEnvironmentVariable("CRASH_POINTS") == "all" || all.Count <= sample)
        {
            output.WriteLine($"crash points: all {all.Count}");
            return all;
        }

        var seed = int.TryParse(Environment.GetEnvironmentVariable("CRASH_SEED"), out var given) ? given : Environment.TickCount & 0xFFFF;
        output.WriteLine($"crash points: {sample} of {all.Count}, seed {seed} (CRASH_SEED={seed} replays them; CRASH_POINTS=all runs every one)");
        var random = new Random(seed);
        var ends = all.Where(point => point.Step == 1 || point.Step == steps || always?.Invoke(calibrated[point.Step - 1]) == true).ToList();
        var rest = all.Except(ends).OrderBy(_ => random.Next()).Take(Math.Max(0, sample - ends.Count));
        return [.. ends.Concat(rest).OrderBy(point => point.Step).ThenBy(point => point.AfterAnswer)];
    }

    /// <summary>The scenario's arrangement, and the work it queued done, before anything is counted.</summary>
    private async Task<string?> PrepareAsync(CrashScenario scenario)
    {
        if (scenario.PrepareAsync is null)
        {
            return null;
        }

        var prepared = await scenario.PrepareAsync();
        await WaitForQueuesAsync(scenario, "preparation");
        return prepared;
    }

    private HostProcess StartHost() => HostProcess.Start(faults.ConnectionString, prefix, ++hosts, hostSettings);

    /// <summary>Waits until the host has run past its lease (a killed host's message is visible again), every queue of the
    /// prefix is empty and its poison queues too, then checks the scenario's invariants for the event.</summary>
    private async Task SettleAsync(CrashScenario scenario, string theEvent, string what)
    {
        await WaitForQueuesAsync(scenario, what);
        try
        {
            await scenario.AssertDoneOnceAsync(theEvent);
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{scenario.Name}, {what}, event {theEvent}: {ex.Message}{Environment.NewLine}{host!.Output}");
        }
    }

    private async Task WaitForQueuesAsync(CrashScenario scenario, string what)
    {
        var started = Stopwatch.StartNew();
        var queues = new QueueServiceClient(TestStorage.ConnectionString);
        var poison = new List<string>();
        try
        {
            await TestHost.WaitUntilAsync(
                async () =>
                {
                    if (host!.HasExited)
                    {
                        throw new InvalidOperationException($"{what}: the host exited by itself. {host.Output}");
                    }

                    if (started.Elapsed < HostProcess.Lease + TimeSpan.FromSeconds(1))
                    {
                        return false;
                    }

                    poison.Clear();
                    var busy = false;
                    await foreach (var queue in queues.GetQueuesAsync(prefix: prefix))
                    {
                        var count = (await queues.GetQueueClient(queue.Name).GetPropertiesAsync()).Value.ApproximateMessagesCount;
                        if (count > 0 && queue.Name.EndsWith("-poison", StringComparison.Ordinal))
                        {
                            poison.Add($"{queue.Name}: {count}");
                        }
                        else if (count > 0)
                        {
                            busy = true;
                        }
                    }

                    return !busy || poison.Count > 0;
                },
                SettleTimeout,
                $"{what}: the queues of {scenario.Name} are empty");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}{Environment.NewLine}{host!.Output}{Environment.NewLine}{faults.Report()}", ex);
        }

        Assert.True(poison.Count == 0, $"{what}: messages in poison: {string.Join(", ", poison)}{Environment.NewLine}{host!.Output}");
    }

    public void Dispose() => host?.Dispose();
}
