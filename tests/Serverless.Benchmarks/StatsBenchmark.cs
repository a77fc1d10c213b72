using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Referrals;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// A fiscal year's counts (<c>GET /api/stats?fiscalYear=</c>) must cost the same storage operations however many reports
/// the year had: the counters are one query per month, the snapshot grows with the cases only. The same 10 cases with
/// <see cref="SmallReports"/> and with <see cref="LargeReports"/> reports through the report service, every entry event
/// handled as the queue function would; prints the storage operations of one request at both volumes, and the medians
/// of the request's time.
/// </summary>
public static class StatsBenchmark
{
    public const int SmallReports = 50;
    public const int LargeReports = 500;
    private const int Cases = 10;
    private const int Runs = 41;

    public static async Task RunAsync(TextWriter output)
    {
        await using var small = await SeededAsync(SmallReports, output);
        await using var large = await SeededAsync(LargeReports, output);
        var year = ReferralPeriod.FiscalYearOf(JapanTime.Today(TimeProvider.System));

        var smallOperations = await OperationsAsync(small, year);
        var largeOperations = await OperationsAsync(large, year);
        output.WriteLine($"a year's stats (fiscal year {year}, {Cases} cases): one request = {smallOperations} at {SmallReports} reports; {(largeOperations == smallOperations ? "the same" : largeOperations)} at {LargeReports} reports");
        var (smallTime, largeTime) = await Measure.InterleavedMediansAsync(5, Runs, _ => StatsAsync(small, year, SmallReports), _ => StatsAsync(large, year, LargeReports));
        output.WriteLine($"  median request: {smallTime:F2} ms at {SmallReports} reports, {largeTime:F2} ms at {LargeReports}; ratio {largeTime / smallTime:F2}");
    }

    private static async Task StatsAsync(BenchmarkHost host, int year, int reports)
    {
        using var response = await host.Client.GetAsync($"api/stats?fiscalYear={year}");
        response.EnsureSuccessStatusCode();
        var stats = await response.Content.ReadFromJsonAsync<JsonObject>();
        if ((long)stats!["totals"]!["reports"]! != reports)
        {
            throw new InvalidOperationException($"The year counted {stats["totals"]!["reports"]} reports, not {reports}.");
        }
    }

    /// <summary>What one request did to storage, without the host's table prefix (so both volumes compare).</summary>
    private static async Task<string> OperationsAsync(BenchmarkHost host, int year)
    {
        var before = host.Counter.For("GetStats");
        using (var response = await host.Client.GetAsync($"api/stats?fiscalYear={year}"))
        {
            response.EnsureSuccessStatusCode();
        }

        return string.Join(", ", StorageOperationCounter.Difference(before, host.Counter.For("GetStats"))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Value} × {pair.Key.Replace(host.Prefix, "", StringComparison.Ordinal)}"));
    }

    private static async Task<BenchmarkHost> SeededAsync(int reports, TextWriter output)
    {
        var host = await BenchmarkHost.StartAsync();
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        var coordinator = new Caller(Serverless.DevHost.DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka", CallerRole.Coordinator);
        var today = JapanTime.Today(TimeProvider.System);
        var caseIds = new List<string>();
        for (var n = 0; n < Cases; n++)
        {
            var created = await host.Get<CaseService>().CreateAsync(coordinator, new CreateCaseRequest(SyntheticCases.Registered(n, today)), CancellationToken.None);
            caseIds.Add(((CaseOutcome<CaseView>.Done)created).Value.CaseId);
        }

        var service = host.Get<ReportService>();
        await Parallel.ForEachAsync(Enumerable.Range(0, reports), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, cancellationToken) =>
        {
            var caseId = caseIds[n % Cases];
            var report = new ReportRequest
            {
                ObservedAt = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                Kind = n % 2 == 0 ? ReportKind.HomeVisit : ReportKind.GuardianContact,
                Narrative = "架空の報告 " + n,
                Scope = new ScopeInput { Audience = EntryAudience.AllParticipants },
            };
            if (await service.SubmitAsync(coordinator, caseId, report, null, "/api/cases/" + caseId + "/reports", cancellationToken) is not CaseOutcome<EntryAdded>.Done)
            {
                throw new InvalidOperationException("A benchmark report was refused.");
            }
        });

        // The entry events, handled as the EntryAdded function would (the host runs no queue listener here).
        var queue = host.Get<StorageClients>().Queues.GetQueueClient(host.Get<StorageNames>().Queue(EntryEvents.Queue));
        var events = host.Get<EntryEvents>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } messages)
        {
            await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (message, cancellationToken) =>
            {
                await events.HandleAsync(message.Body.ToString(), cancellationToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            });
        }

        output.WriteLine($"  seeded {Cases} cases and {reports} reports, their events handled, in {seeding.Elapsed.TotalSeconds:F0} s");
        return host;
    }
}
