using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// Reports and the timeline, each against the very same storage operations done with bare Azure.Data.Tables in
/// the same order (memberships; the audit intent with the case read beside it; the work; the outcome), on the
/// same Azurite in the same run. Targets: submission at least 0.9 of bare; a timeline page at 1,000 entries
/// within 1.2 of a page at 10 (one partition query either way).
/// </summary>
public static class EntryBenchmark
{
    private const int Runs = 201;
    private const int PageSize = 50;

    public static async Task RunAsync(TextWriter output)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var today = JapanTime.Today(TimeProvider.System);
        var small = await CaseAsync(host, 1, today);
        var large = await CaseAsync(host, 2, today);
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        await AddReportsAsync(host, small, 10);
        await AddReportsAsync(host, large, 1_000);
        output.WriteLine($"  seeded timelines of 10 and 1,000 reports in {seeding.Elapsed.TotalSeconds:F0} s");

        var bare = new BareTableReplay(host.Get<StorageClients>().Tables, "");
        var queue = host.Get<StorageClients>().Queues.GetQueueClient(host.Get<StorageNames>().Queue(EntryEvents.Queue));
        var casesTable = host.Prefix + CaseStore.TableName;
        var signIn = $"table GET {host.Prefix}People()";
        var auditLog = $"table POST {host.Prefix}AuditLog";
        var narrative = new string('あ', 400);

        var before = host.Counter.For("SubmitReport");
        await SubmitAsync(host, small, narrative);
        output.WriteLine("  one report = " + string.Join(", ", StorageOperationCounter.Difference(before, host.Counter.For("SubmitReport")).Select(pair => $"{pair.Value} × {pair.Key}")));
        var (apiSubmit, bareSubmit) = await Measure.InterleavedMediansAsync(
            5,
            Runs,
            async _ => await SubmitAsync(host, small, narrative),
            async _ =>
            {
                await bare.RunOneAsync(signIn);
                await Task.WhenAll(bare.RunOneAsync(auditLog), bare.PointReadAsync(casesTable, small));
                await bare.EntryBatchAsync(casesTable, narrative);
                await queue.SendMessageAsync("{\"schemaVersion\":1}");
                await bare.RunOneAsync(auditLog);
            });

        var (smallPage, largePage) = await Measure.InterleavedMediansAsync(5, Runs, _ => PageAsync(host, small), _ => PageAsync(host, large));
        var barePage = await Measure.MedianMillisecondsAsync(5, Runs, async _ =>
        {
            await bare.RunOneAsync(signIn);
            await Task.WhenAll(bare.RunOneAsync(auditLog), bare.PointReadAsync(casesTable, large));
            await bare.TimelinePageAsync(casesTable, large, PageSize);
            await bare.RunOneAsync(auditLog);
        });

        output.WriteLine($"report submission: API {apiSubmit:F2} ms, bare tables {bareSubmit:F2} ms; API ÷ bare throughput {bareSubmit / apiSubmit:F2} (target ≥ 0.9)");
        output.WriteLine($"timeline page ({PageSize} entries): {smallPage:F2} ms at 10 entries, {largePage:F2} ms at 1,000; ratio {largePage / smallPage:F2} (target ≤ 1.2); bare tables {barePage:F2} ms at 1,000, API ÷ bare throughput {barePage / largePage:F2}");
    }

    private static async Task<string> CaseAsync(BenchmarkHost host, int n, DateOnly today)
    {
        var coordinator = new Caller(Serverless.DevHost.DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka", CallerRole.Coordinator);
        var outcome = await host.Get<CaseService>().CreateAsync(coordinator, new CreateCaseRequest(SyntheticCases.Registered(n, today)), CancellationToken.None);
        return ((CaseOutcome<CaseView>.Done)outcome).Value.CaseId;
    }

    /// <summary>Reports through the service (the timeline read is what is measured), side by side.</summary>
    private static async Task AddReportsAsync(BenchmarkHost host, string caseId, int count)
    {
        var coordinator = new Caller(Serverless.DevHost.DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka", CallerRole.Coordinator);
        var reports = host.Get<ReportService>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, cancellationToken) =>
        {
            var report = new ReportRequest
            {
                ObservedAt = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                Kind = ReportKind.Attendance,
                Narrative = "架空の報告 " + n,
                Scope = new ScopeInput { Audience = EntryAudience.AllParticipants },
            };
            if (await reports.SubmitAsync(coordinator, caseId, report, null, "/api/cases/" + caseId + "/reports", cancellationToken) is not CaseOutcome<EntryAdded>.Done)
            {
                throw new InvalidOperationException("A benchmark report was refused.");
            }
        });
    }

    private static async Task SubmitAsync(BenchmarkHost host, string caseId, string narrative)
    {
        var body = new JsonObject
        {
            ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["kind"] = "home-visit",
            ["narrative"] = narrative,
            ["scope"] = new JsonObject { ["audience"] = "all-participants" },
        };
        using var response = await host.Client.PostAsync($"api/cases/{caseId}/reports", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task PageAsync(BenchmarkHost host, string caseId)
    {
        using var response = await host.Client.GetAsync($"api/cases/{caseId}/timeline?pageSize={PageSize}");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadFromJsonAsync<JsonObject>();
    }
}
