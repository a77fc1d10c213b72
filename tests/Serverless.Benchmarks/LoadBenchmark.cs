using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.DevHost;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.Tokens;
using Serverless.Idempotency;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// Thirty agencies at once on the local host (loopback): one named staff member of each, all thirty agencies on each of
/// a few shared cases (as a council's busiest cases are), each submitting a report with an Idempotency-Key and then
/// reading a timeline page, in a loop, for the given time; every tenth report is sent twice, as a form retries. At most
/// thirty requests are in flight (one per agency). Prints the requests, the submission and timeline-read percentiles,
/// the errors (any answer other than 201 or 200, or a failed request: there must be none) and the count of what was
/// stored: every accepted report exactly once in its case's timeline, with one idempotency completion naming it
/// (<see cref="LoadLedger"/>). Figures only; nothing is timed against a target.
/// </summary>
public static class LoadBenchmark
{
    public const int Agencies = 30;
    private const int SharedCases = 5;
    private const int PageSize = 50;
    private const int RetryEvery = 10;
    private const int ErrorsShown = 5;

    /// <summary>Runs the load for <paramref name="duration"/>; false when there was an error or the count is off.</summary>
    public static async Task<bool> RunAsync(TimeSpan duration, TextWriter output)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var council = await SyntheticCouncil.RegisterAsync(host.Get<AgencyDirectory>(), host.Get<PeopleDirectory>(), Agencies, staffPerAgency: 1, CancellationToken.None);
        var today = JapanTime.Today(TimeProvider.System);
        var cases = new List<string>();
        for (var n = 1; n <= SharedCases; n++)
        {
            cases.Add(await CaseAsync(host, council.Case(n, Agencies, today)));
        }

        var tokens = Enumerable.Range(0, Agencies)
            .Select(agency => "Bearer " + DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, SyntheticCouncil.Subject(agency, 0), duration + TimeSpan.FromHours(1), TimeProvider.System))
            .ToArray();
        output.WriteLine($"load: {Agencies} agencies (one named staff member each) on {SharedCases} shared cases, every agency on each; each submits a report with an Idempotency-Key (every {RetryEvery}th sent twice, as a form's retry) then reads a timeline page of {PageSize}, in a loop for {duration.TotalSeconds:F0} s; at most {Agencies} requests in flight, loopback");

        // Warm-up, not counted: each caller's first request pins its sign-in.
        await Task.WhenAll(tokens.Select(async (token, agency) => await ReadAsync(host, token, cases[agency % cases.Count])));

        var watch = Stopwatch.StartNew();
        var runs = await Task.WhenAll(Enumerable.Range(0, Agencies).Select(agency => Task.Run(() => CallerAsync(host, tokens[agency], agency, cases, duration, watch))));
        var elapsed = watch.Elapsed;

        var submits = runs.SelectMany(run => run.Submits).Order().ToList();
        var retries = runs.SelectMany(run => run.Retries).Order().ToList();
        var reads = runs.SelectMany(run => run.Reads).Order().ToList();
        var errors = runs.SelectMany(run => run.Errors).ToList();
        var requests = submits.Count + retries.Count + reads.Count + errors.Count;
        output.WriteLine($"  requests: {requests:N0} in {elapsed.TotalSeconds:F1} s ({requests / elapsed.TotalSeconds:F1}/s): {submits.Count:N0} reports submitted, {retries.Count:N0} sent again with the same key, {reads.Count:N0} timeline pages read");
        output.WriteLine($"  report submission: p50 {Percentile(submits, 50)}, p99 {Percentile(submits, 99)}; the same key again: p50 {Percentile(retries, 50)}, p99 {Percentile(retries, 99)}");
        output.WriteLine($"  timeline page ({PageSize}): p50 {Percentile(reads, 50)}, p99 {Percentile(reads, 99)}");
        output.WriteLine($"  errors: {errors.Count} (must be 0)" + string.Concat(errors.Take(ErrorsShown).Select(error => Environment.NewLine + "    " + error)));

        var (heads, completions, marks) = await StoredAsync(host, cases);
        var check = LoadLedger.Check(runs.SelectMany(run => run.Accepted), heads, completions);
        output.WriteLine($"  exactly once: {check.Keys:N0} keys accepted; {check.Heads:N0} report heads and {check.Completions:N0} idempotency completions stored; missing {check.Missing}, doubled {check.Doubled}, unexpected {check.Unexpected}, retries answered with another entry {check.ReplayMismatches}, completion mismatches {check.CompletionMismatches} (in-flight marks {marks}: kept until they expire): {(check.ExactlyOnce ? "OK" : "FAILED")}");
        return errors.Count == 0 && check.ExactlyOnce;
    }

    private static string Percentile(List<double> sorted, int percent)
        => sorted.Count == 0 ? "-" : $"{Measure.Percentile(sorted, percent):F1} ms";

    private static async Task<CallerRun> CallerAsync(BenchmarkHost host, string token, int agency, IReadOnlyList<string> cases, TimeSpan duration, Stopwatch clock)
    {
        var run = new CallerRun();
        var random = new Random(agency);
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var caseId = cases[random.Next(cases.Count)];
            var key = $"load-{agency:D2}-{i:D6}";
            var body = ReportBody(agency, i);
            await SubmitAsync(host, token, caseId, key, body, run, run.Submits);
            if (i % RetryEvery == RetryEvery - 1)
            {
                await SubmitAsync(host, token, caseId, key, body, run, run.Retries);
            }

            var watch = Stopwatch.StartNew();
            var read = await ReadAsync(host, token, cases[random.Next(cases.Count)]);
            if (read is null)
            {
                run.Reads.Add(watch.Elapsed.TotalMilliseconds);
            }
            else
            {
                run.Errors.Add("timeline: " + read);
            }
        }

        return run;
    }

    private static string ReportBody(int agency, int n) => new JsonObject
    {
        ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["kind"] = "home-visit",
        ["narrative"] = $"架空の家庭訪問の報告（負荷試験 {agency:D2}-{n}）。登校の様子に変わりなし。",
        ["scope"] = new JsonObject { ["audience"] = "all-participants" },
    }.ToJsonString();

    private static async Task SubmitAsync(BenchmarkHost host, string token, string caseId, string key, string body, CallerRun run, List<double> times)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cases/{caseId}/reports") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", token);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "\"" + key + "\"");
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await host.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Created)
            {
                run.Errors.Add($"submit {key}: {(int)response.StatusCode} {Code(text)}");
                return;
            }

            times.Add(elapsed);
            run.Accepted.Add(new AcceptedReport(caseId, key, (string)JsonNode.Parse(text)!["entryId"]!));
        }
        catch (HttpRequestException ex)
        {
            run.Errors.Add($"submit {key}: {ex.GetType().Name}");
        }
    }

    /// <summary>Reads the case's newest timeline page; null when it answered 200, else what went wrong.</summary>
    private static async Task<string?> ReadAsync(BenchmarkHost host, string token, string caseId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/cases/{caseId}/timeline?pageSize={PageSize}");
        request.Headers.TryAddWithoutValidation("Authorization", token);
        try
        {
            using var response = await host.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK ? null : $"{(int)response.StatusCode} {Code(text)}";
        }
        catch (HttpRequestException ex)
        {
            return ex.GetType().Name;
        }
    }

    /// <summary>The problem code of an error answer (ids and codes only are printed).</summary>
    private static string Code(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["code"]?.GetValue<string>() ?? "(no code)";
        }
        catch (System.Text.Json.JsonException)
        {
            return "(not JSON)";
        }
    }

    /// <summary>Every report head and idempotency completion in the cases' partitions, and the in-flight marks left.</summary>
    private static async Task<(List<StoredReport> Heads, List<StoredReport> Completions, int Marks)> StoredAsync(BenchmarkHost host, IReadOnlyList<string> cases)
    {
        var table = new TableServiceClient(BenchmarkHost.Storage).GetTableClient(host.Get<StorageNames>().Table(CaseStore.TableName));
        var report = EntryRows.Name(EntryType.Report);
        var completed = IdempotencyEntity.CompletedRow("");
        var inFlight = IdempotencyEntity.InFlightRow("");
        var heads = new List<StoredReport>();
        var completions = new List<StoredReport>();
        var marks = 0;
        foreach (var caseId in cases)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}"), select: ["RowKey", "Type", "EntryId", "Response"]))
            {
                if (row.RowKey.StartsWith(EntryEntity.TimelinePrefix, StringComparison.Ordinal) && row.GetString("Type") == report)
                {
                    heads.Add(new StoredReport(caseId, row.GetString("EntryId")));
                }
                else if (row.RowKey.StartsWith(completed, StringComparison.Ordinal))
                {
                    completions.Add(new StoredReport(caseId, (string?)JsonNode.Parse(row.GetString("Response") ?? "{}")?["entryId"] ?? ""));
                }
                else if (row.RowKey.StartsWith(inFlight, StringComparison.Ordinal))
                {
                    marks++;
                }
            }
        }

        return (heads, completions, marks);
    }

    private static async Task<string> CaseAsync(BenchmarkHost host, CaseRecord record)
    {
        var coordinator = new Caller(DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka", CallerRole.Coordinator);
        var outcome = await host.Get<CaseService>().CreateAsync(coordinator, new CreateCaseRequest(record), CancellationToken.None);
        return outcome is CaseOutcome<CaseView>.Done done ? done.Value.CaseId : throw new InvalidOperationException($"The load benchmark's case was refused: {outcome}");
    }

    /// <summary>One caller's times, receipts and errors (its own lists: no locking).</summary>
    private sealed class CallerRun
    {
        public List<double> Submits { get; } = [];

        public List<double> Retries { get; } = [];

        public List<double> Reads { get; } = [];

        public List<string> Errors { get; } = [];

        public List<AcceptedReport> Accepted { get; } = [];
    }
}
