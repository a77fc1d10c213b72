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
}
