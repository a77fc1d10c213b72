using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.DevHost;
using Serverless.Entries;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Notifications;
using static Serverless.Tests.Audit.Integration.AuditedRequests;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Stats;

/// <summary><c>GET /api/stats</c>: counters fed by the entry events, the case snapshot, the referral figures; coordinators only.</summary>
public sealed class StatsApiTests
{
    private static readonly (string Person, string AgencyKind)[] Senders = [(Teacher, "school"), (NurseryHead, "nursery"), (Nurse, "public-health-centre")];

    private static readonly string[] Kinds = ["injury", "home-visit", "guardian-contact"];

    [Fact]
    public async Task ConcurrentReportsAndReplayedEventsAreCountedOnceEachAsAFullRecountWould()
    {
        await using var api = await CaseApi.StartAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var open = await api.SharedCaseAsync();
        var closing = await api.SharedCaseAsync();
        var registered = await RegisterAsync(api, open);
        Assert.True(registered, "the case moved to registered");
        await CloseAsync(api, closing, "referred-to-child-guidance-centre");
        var sent = Enumerable.Range(0, 24).Select(_ => (Sender: Senders[random.Next(Senders.Length)], Kind: Kinds[random.Next(Kinds.Length)])).ToList();

        // Reports sent concurrently by three agencies' staff.
        await Task.WhenAll(sent.Select(async report =>
        {
            using var response = await api.SubmitReportAsync(open, ReportOf(report.Kind), report.Sender.Person);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }));

        // Every queued event handled one to three times, by eight handlers at once (the queue's redeliveries).
        var messages = await DrainAsync(api);
        var deliveries = messages.SelectMany(message => Enumerable.Repeat(message, 1 + random.Next(3))).OrderBy(_ => random.Next()).ToList();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (message, token) => await api.Host.Get<EntryEvents>().HandleAsync(message, token));

        var stats = await api.StatsOfAsync("?fiscalYear=2025");
        var june = stats["months"]!.AsArray().Single(month => (string)month!["month"]! == "2025-06")!["counts"]!;
        Assert.Equal(12, stats["months"]!.AsArray().Count);
        Assert.Equal(june.ToJsonString(), stats["totals"]!.ToJsonString()); // nothing in the other months
        Assert.Equal(2, (long)june["opened"]!);
        Assert.Equal(1, (long)june["registered"]!);
        Assert.Equal(1, (long)june["closed"]!);
        Assert.Equal(
            """{"improved":0,"transferred-to-another-municipality":0,"referred-to-child-guidance-centre":1,"reached-adulthood":0,"moved-away-whereabouts-unknown":0,"other":0}""",
            june["closuresByOutcome"]!.ToJsonString());
        Assert.True(sent.Count == (long)june["reports"]!, $"seed {seed}");
        foreach (var (_, agencyKind) in Senders)
        {
            Assert.True(sent.Count(report => report.Sender.AgencyKind == agencyKind) == (long)june["reportsByAgencyKind"]![agencyKind]!, $"seed {seed}: {agencyKind}");
        }

        foreach (var kind in Kinds)
        {
            Assert.True(sent.Count(report => report.Kind == kind) == (long)june["reportsByKind"]![kind]!, $"seed {seed}: {kind}");
        }

        Assert.Equal(0, (long)june["reportsByAgencyKind"]!["unknown"]!);
    }

    [Fact]
    public async Task TheCasesAsTheyStandAreCountedFromTheirRecordsAndTheReferralFiguresComeFromTheReferralCounts()
    {
        await using var api = await CaseApi.StartAsync();
        var open = await api.SharedCaseAsync(record =>
        {
            record["abuseTypes"] = new JsonArray("neglect", "physical");
            record["primaryAbuseType"] = "neglect";
            record["riskLevel"] = "high";
        });
        await api.SharedCaseAsync(record => record["child"]!["birthDate"] = "2024-01-10");
        await CloseAsync(api, await api.SharedCaseAsync(), "improved");
        await api.DeliverQueuedAsync();

        var stats = await api.StatsOfAsync("?from=2025-04-01&to=2025-06-30");

        Assert.Equal("""{"from":"2025-04-01","to":"2025-06-30"}""", stats["period"]!.ToJsonString());
        Assert.Equal(["2025-04", "2025-05", "2025-06"], stats["months"]!.AsArray().Select(month => (string)month!["month"]!));
        var cases = stats["cases"]!;
        Assert.Equal(2, (long)cases["open"]!);
        Assert.Equal("""{"accepted":2,"registered":0,"closed":1}""", cases["byStatus"]!.ToJsonString());
        Assert.Equal("""{"requiring-protection":2,"requiring-support":0,"expectant-mother":0}""", cases["byCategory"]!.ToJsonString());
        Assert.Equal("""{"low":0,"medium":0,"high":1,"critical":0,"unknown":1}""", cases["byRiskLevel"]!.ToJsonString());
        Assert.Equal("""{"physical":0,"neglect":1,"psychological":0,"sexual":0,"unknown":1}""", cases["byPrimaryAbuseType"]!.ToJsonString());
        Assert.Equal("""{"midori-kodomo-ka":2}""", cases["byLeadAgency"]!.ToJsonString());
        Assert.Equal("""{"under-three":1,"preschool":0,"elementary":1,"junior-high":0,"high-school-and-older":0,"unknown":0}""", cases["byAgeBand"]!.ToJsonString());
        Assert.Equal("""{"received":0,"abuseReports":0,"withinLimit":0,"withinLimitShare":{"numerator":0,"denominator":0}}""", stats["referrals"]!.ToJsonString());
        Assert.Equal(["period", "asOf", "totals", "months", "cases", "referrals"], stats.Select(property => property.Key)); // counts only
        Assert.DoesNotContain(open, stats.ToJsonString());
    }

    [Fact]
    public async Task TheCsvAndXlsxFilesAreExportsAuditedWithWhoTookThemAndSmallCountsCanBeSuppressed()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        await api.ReportIdAsync(caseId, Report(), Teacher);
        await api.DeliverQueuedAsync();

        using var csv = await api.StatsAsync("?fiscalYear=2025&format=csv&suppressSmallCounts=true");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType!.ToString());
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition!.DispositionType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("区分,項目,2025-04,2025-05,2025-06,2025-07,2025-08,2025-09,2025-10,2025-11,2025-12,2026-01,2026-02,2026-03,期間計", lines[0]);
        Assert.Equal("ケース,受理,0,0,1-2,0,0,0,0,0,0,0,0,0,1-2", lines[1]);
        Assert.Contains("情報提供（機関種別）,学校,0,0,1-2,0,0,0,0,0,0,0,0,0,1-2", lines);
        Assert.Contains("現在のケース（主担当機関）,みどり市 子ども家庭課,,,,,,,,,,,,,1-2", lines);
        using var plain = await api.StatsAsync("?fiscalYear=2025&format=csv");
        Assert.Contains("ケース,受理,0,0,1,0,0,0,0,0,0,0,0,0,1", Encoding.UTF8.GetString(await plain.Content.ReadAsByteArrayAsync()));

        using var xlsx = await api.StatsAsync("?fiscalYear=2025&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync())[..2]);

        using var json = await api.StatsAsync("?fiscalYear=2025");
        foreach (var (response, action) in new[] { (csv, AuditActions.StatsExport), (xlsx, AuditActions.StatsExport), (json, AuditActions.StatsRead) })
        {
            var (intent, done) = await PairAsync(api.Host, response);
            Assert.Equal((action, DemoPeople.PersonId(CaseApi.Coordinator), nameof(AuditOutcome.Succeeded)), (intent.Action, intent.ActorId, done.Outcome));
        }
    }

    [Fact]
    public async Task EveryoneButACoordinatorIsRefusedEvenWithABadQuery()
    {
        await using var api = await CaseApi.StartAsync();
        var key = await api.KeyAsync(School);

        foreach (var person in new[] { Teacher, NurseryHead, "admin-kobayashi", "auditor-watanabe" })
        {
            using var valid = await api.StatsAsync("?fiscalYear=2025", person);
            await CaseApi.ProblemAsync(valid, ProblemCatalogue.Forbidden);
            using var file = await api.StatsAsync("?fiscalYear=2025&format=xlsx", person);
            await CaseApi.ProblemAsync(file, ProblemCatalogue.Forbidden);
            using var invalid = await api.StatsAsync("?fiscalYear=R7", person);
            await CaseApi.ProblemAsync(invalid, ProblemCatalogue.Forbidden);
        }

        using var form = await api.StatsAsync("?fiscalYear=2025", person: null, key: key);
        await CaseApi.ProblemAsync(form, ProblemCatalogue.Forbidden);
        using var anonymous = await api.StatsAsync("?fiscalYear=2025", person: null);
        await CaseApi.ProblemAsync(anonymous, ProblemCatalogue.Unauthenticated);
    }

    [Fact]
    public async Task ThePeriodIsWholeMonthsAtMostAYearAndBadParametersAreNamedFieldByField()
    {
        await using var api = await CaseApi.StartAsync();

        foreach (var (query, field, code) in new[]
        {
            ("", "$.fiscalYear", "period-or-fiscal-year"),
            ("?from=2025-04-02&to=2025-04-30", "$.from", "whole-months"),
            ("?from=2025-04-01&to=2025-05-30", "$.to", "whole-months"),
            ("?from=2025-04-01&to=2026-04-30", "$.to", "out-of-range"), // 13 months
            ("?fiscalYear=1999", "$.fiscalYear", "out-of-range"),
            ("?fiscalYear=2025&format=pdf", "$.format", "invalid-value"),
            ("?fiscalYear=2025&suppressSmallCounts=yes", "$.suppressSmallCounts", "invalid-value"),
            ("?fiscalYear=2025&suppressSmallCounts=true", "$.suppressSmallCounts", "files-only"),
        })
        {
            using var response = await api.StatsAsync(query);
            await CaseApi.ValidationErrorsAsync(response, (field, code));
        }

        using var year = await api.StatsAsync("?from=2025-04-01&to=2026-03-31");
        Assert.Equal(HttpStatusCode.OK, year.StatusCode); // twelve months: the longest period
        using var leap = await api.StatsAsync("?from=2027-03-01&to=2028-02-29");
        Assert.Equal(HttpStatusCode.OK, leap.StatusCode);
    }

    private static JsonObject ReportOf(string kind)
    {
        var report = Report();
        report["kind"] = kind;
        if (kind != "injury")
        {
            report.Remove("injury");
        }

        return report;
    }

    private static async Task<bool> RegisterAsync(CaseApi api, string caseId)
    {
        using var response = await api.PatchAsync(caseId, "\"v1\"", "受理会議で登録", new JsonObject { ["status"] = "registered" });
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static async Task CloseAsync(CaseApi api, string caseId, string outcome)
    {
        using var closed = await api.PatchAsync(caseId, "\"v1\"", "実務者会議で終結", new JsonObject
        {
            ["status"] = "closed",
            ["closure"] = new JsonObject { ["outcome"] = outcome, ["reason"] = "実務者会議で決定", ["decidedOn"] = "2025-06-16", ["meeting"] = "第3回実務者会議" },
        });
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
    }

    /// <summary>Every queued entry event's text, removed from the queue.</summary>
    private static async Task<List<string>> DrainAsync(CaseApi api)
    {
        var queue = NotificationApi.EntryEventQueue(api.Host);
        var texts = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                texts.Add(Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return texts;
    }
}
