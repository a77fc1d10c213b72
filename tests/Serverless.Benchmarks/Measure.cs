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
        var times = await InterleavedTimesAsync(warmUp, runs, first, second);
        return (times[0][runs / 2], times[1][runs / 2]);
    }

    /// <summary>Several operations measured turn about, as <see cref="InterleavedMediansAsync"/> does two; every run's
    /// time of each, sorted (for a mean and percentiles).</summary>
    public static async Task<List<double>[]> InterleavedTimesAsync(int warmUp, int runs, params Func<int, Task>[] operations)
    {
        for (var i = 0; i < warmUp; i++)
        {
            foreach (var operation in operations)
            {
                await operation(-1 - i);
            }
        }

        var times = operations.Select(_ => new List<double>(runs)).ToArray();
        for (var i = 0; i < runs; i++)
        {
            for (var o = 0; o < operations.Length; o++)
            {
                var watch = Stopwatch.StartNew();
                await operations[o](i);
                times[o].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        foreach (var list in times)
        {
            list.Sort();
        }

        return times;
    }

    /// <summary>The nearest-rank percentile of times sorted ascending (<paramref name="percent"/> 50: the median).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, int percent)
        => sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];
}
