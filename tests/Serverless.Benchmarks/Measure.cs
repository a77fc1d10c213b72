using System.Diagnostics;

namespace Serverless.Benchmarks;

/// <summary>Median wall time of repeated runs after a warm-up: the median shrugs off a noisy neighbour.</summary>
public static class Measure
{
    public static async Task<double> MedianMillisecondsAsync(int warmUp, int runs, Func<int, Task> operation)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await operation(-1 - i);
        }

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await operation(i);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return runs % 2 == 1 ? times[runs / 2] : (times[(runs / 2) - 1] + times[runs / 2]) / 2;
    }

    /// <summary>Two operations measured turn about, so drift in the emulator (it grows as the run goes on)
    /// and a noisy neighbour weigh on both alike. Returns the two medians.</summary>
    public static async Task<(double First, double Second)> InterleavedMediansAsync(int warmUp, int runs, Func<int, Task> first, Func<int, Task> second)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await first(-1 - i);
            await second(-1 - i);
        }

        var (a, b) = (new List<double>(runs), new List<double>(runs));
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await first(i);
            a.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await second(i);
            b.Add(watch.Elapsed.TotalMilliseconds);
        }

        a.Sort();
        b.Sort();
        return (a[runs / 2], b[runs / 2]);
    }
}
