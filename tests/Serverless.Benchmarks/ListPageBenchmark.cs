using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Cases.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// A list page must cost the same at 10,000 cases as at 100: it is one partition query plus one point
/// read per case on the page, never a scan. Prints the median page time at both sizes and their ratio.
/// </summary>
public static class ListPageBenchmark
{
    private const int PageSize = 50;

    public static async Task<(double Small, double Large)> RunAsync(int small, int large, TextWriter output)
    {
        await using var smallHost = await SeededAsync(small, output);
        await using var largeHost = await SeededAsync(large, output);

        // Alternate the two so warm-up, JIT and a noisy neighbour weigh on both alike.
        var (smallTimes, largeTimes, smallBare, largeBare) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var round = 0; round < 41; round++)
        {
            var warmUp = round == 0 ? 5 : 0;
            smallTimes.Add(await Measure.MedianMillisecondsAsync(warmUp, 1, _ => PageAsync(smallHost)));
            largeTimes.Add(await Measure.MedianMillisecondsAsync(warmUp, 1, _ => PageAsync(largeHost)));
            smallBare.Add(await Measure.MedianMillisecondsAsync(warmUp, 1, _ => BarePageAsync(smallHost)));
            largeBare.Add(await Measure.MedianMillisecondsAsync(warmUp, 1, _ => BarePageAsync(largeHost)));
        }

        var (smallMs, largeMs) = (Median(smallTimes), Median(largeTimes));
        var (smallBareMs, largeBareMs) = (Median(smallBare), Median(largeBare));
        output.WriteLine($"list page ({PageSize} cases, status=registered): {smallMs:F1} ms at {small:N0} cases, {largeMs:F1} ms at {large:N0} cases; ratio {largeMs / smallMs:F2} (target about 1)");
        output.WriteLine($"  the same page by hand with bare tables: {smallBareMs:F1} ms at {small:N0}, {largeBareMs:F1} ms at {large:N0}; ratio {largeBareMs / smallBareMs:F2} (what the emulator itself does as its tables grow)");
        return (smallMs, largeMs);
    }

    private static async Task PageAsync(BenchmarkHost host)
    {
        using var response = await host.Client.GetAsync($"api/cases?status=registered&pageSize={PageSize}");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static Task BarePageAsync(BenchmarkHost host)
        => new BareTableReplay(host.Get<Serverless.Storage.StorageClients>().Tables, "")
            .ListPageAsync(host.Prefix + CaseIndex.TableName, host.Prefix + CaseStore.TableName, CaseIndexEntity.StatusPartition(CaseStatus.Registered), PageSize);

    private static double Median(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }

    private static async Task<BenchmarkHost> SeededAsync(int cases, TextWriter output)
    {
        var host = await BenchmarkHost.StartAsync();
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        await SeedAsync(host, cases);
        output.WriteLine($"  seeded {cases:N0} cases in {seeding.Elapsed.TotalSeconds:F0} s");
        return host;
    }

    /// <summary>Writes cases straight through the store and list index (the list path is what is measured).</summary>
    private static async Task SeedAsync(BenchmarkHost host, int count)
    {
        var store = host.Get<CaseStore>();
        var index = host.Get<CaseIndex>();
        var today = JapanTime.Today(TimeProvider.System);
        var author = new ChangeAuthor("benchmark", "midori-kodomo-ka");
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (n, cancellationToken) =>
        {
            var record = SyntheticCases.Registered(n, today);
            var caseId = CaseIds.New();
            await index.WriteAheadAsync(caseId, null, record, cancellationToken);
            await store.CreateAsync(caseId, record, author, null, cancellationToken);
        });
    }
}
