using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Cases.Storage;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// A page of the review ledger (<c>GET /api/ledger?pageSize=50</c>, the coordinators' default: the accepted and registered
/// partitions of the case list merged) at 2,000 cases must not read every case: at most a page of pointers per partition
/// and one query per listed case. Prints the page's storage operations at 100 and at 2,000 cases (the same), and its time
/// against a bare partition query of the same page (the first 50 pointers of the registered partition, one query, by hand
/// with a bare table client) and against that page by hand with its cases' point reads; and the ratios.
/// </summary>
public static class LedgerPageBenchmark
{
    private const int PageSize = 50;
    private const int Runs = 101;

    public static async Task RunAsync(int cases, TextWriter output)
    {
        await using var small = await SeededAsync(100, output);
        await using var large = await SeededAsync(cases, output);

        var (smallCount, smallOperations) = await OperationsAsync(small);
        var (largeCount, largeOperations) = await OperationsAsync(large);
        output.WriteLine($"  one ledger page = {smallCount} operations ({smallOperations}) at 100 cases; {largeCount} operations{(largeOperations == smallOperations ? " (the same)" : $" ({largeOperations})")} at {cases:N0} cases");

        var times = await Measure.InterleavedTimesAsync(5, Runs, _ => PageAsync(large), _ => BareQueryAsync(large), _ => BarePageAsync(large));
        var (page, query, byHand) = (Measure.Percentile(times[0], 50), Measure.Percentile(times[1], 50), Measure.Percentile(times[2], 50));
        output.WriteLine(
            $"ledger page ({PageSize} of {cases:N0} cases, {Runs} requests): p50 {page:F1} ms, p95 {Measure.Percentile(times[0], 95):F1} ms; "
            + $"bare partition query of the same page (1 operation) p50 {query:F1} ms: ratio {page / query:F1}; "
            + $"the page by hand with bare tables (1 query + {PageSize} point reads) p50 {byHand:F1} ms: ratio {page / byHand:F2}");
        output.WriteLine($"  storage operations: {largeCount} for the ledger page against 1 for the bare query (ratio {largeCount:F0}); a scan of every case would be {cases:N0} reads or more");
    }

    private static async Task PageAsync(BenchmarkHost host)
    {
        using var response = await host.Client.GetAsync($"api/ledger?pageSize={PageSize}");
        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (page!["cases"]!.AsArray().Count != PageSize)
        {
            throw new InvalidOperationException("The ledger page does not hold a full page.");
        }
    }

    /// <summary>The first page of the registered partition of the case list: one query, by hand.</summary>
    private static async Task BareQueryAsync(BenchmarkHost host)
    {
        var index = host.Get<StorageClients>().Tables.GetTableClient(host.Prefix + CaseIndex.TableName);
        var partition = CaseIndexEntity.StatusPartition(CaseStatus.Registered);
        await foreach (var _ in index.QueryAsync<TableEntity>(entity => entity.PartitionKey == partition, maxPerPage: PageSize).AsPages(pageSizeHint: PageSize))
        {
            break;
        }
    }

    private static Task BarePageAsync(BenchmarkHost host)
        => new BareTableReplay(host.Get<StorageClients>().Tables, "")
            .ListPageAsync(host.Prefix + CaseIndex.TableName, host.Prefix + CaseStore.TableName, CaseIndexEntity.StatusPartition(CaseStatus.Registered), PageSize);

    /// <summary>What one ledger page did to storage (sign-in and audit included), without the host's table prefix.</summary>
    private static async Task<(long Count, string Operations)> OperationsAsync(BenchmarkHost host)
    {
        var before = host.Counter.For("GetLedger");
        await PageAsync(host);
        var difference = StorageOperationCounter.Difference(before, host.Counter.For("GetLedger"));
        return (difference.Values.Sum(), string.Join(", ", difference
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Value} × {pair.Key.Replace(host.Prefix, "", StringComparison.Ordinal)}")));
    }

    private static async Task<BenchmarkHost> SeededAsync(int cases, TextWriter output)
    {
        var host = await BenchmarkHost.StartAsync();
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        var store = host.Get<CaseStore>();
        var index = host.Get<CaseIndex>();
        var today = JapanTime.Today(TimeProvider.System);
        var author = new ChangeAuthor("benchmark", "midori-kodomo-ka");
        await Parallel.ForEachAsync(Enumerable.Range(0, cases), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (n, cancellationToken) =>
        {
            var record = SyntheticCases.Registered(n, today);
            var caseId = CaseIds.New();
            await index.WriteAheadAsync(caseId, null, record, cancellationToken);
            await store.CreateAsync(caseId, record, author, null, cancellationToken);
        });
        output.WriteLine($"  seeded {cases:N0} registered cases (next reviews over 90 days) in {seeding.Elapsed.TotalSeconds:F0} s");
        return host;
    }
}
