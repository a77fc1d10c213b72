using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Cases.Activity;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Entries;

/// <summary>One timeline per case: reports, comments and the case's own changes, newest first, each as the caller may see it.</summary>
public sealed class TimelineApiTests
{
    [Fact]
    public async Task TheCasesOwnChangesAreOnTheTimelineButAChangeOfAddressIsNot()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var clock = (Microsoft.Extensions.Time.Testing.FakeTimeProvider)api.Host.Clock!; // entries received in the same tick have no order
        clock.Advance(TimeSpan.FromSeconds(1));
        using (var registered = await api.PatchAsync(caseId, "\"v1\"", "個別ケース検討会議で登録", new JsonObject { ["status"] = "registered" }))
        {
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        using (var moved = await api.PatchAsync(caseId, "\"v2\"", "転居", new JsonObject { ["location"] = new JsonObject { ["address"] = "みどり市東町1-2-3" } }))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        using (var left = await api.PatchAsync(caseId, "\"v3\"", "卒園", new JsonObject
        {
            ["participants"] = new JsonArray(
                new JsonObject { ["agencyId"] = Nursery, ["from"] = "2025-04-01", ["to"] = "2025-06-15" },
                new JsonObject { ["agencyId"] = HealthCentre, ["from"] = "2025-04-01" }),
        }))
        {
            Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        }

        var changes = (await api.EntriesAsync(caseId, Nurse)).Where(entry => (string)entry!["type"]! == "case-change").ToList();

        Assert.Equal([4L, 2L, 1L], changes.Select(change => (long)change!["caseChange"]!["version"]!)); // newest first; version 3 moved the child only
        Assert.Equal("participant-left", (string)changes[0]!["caseChange"]!["changes"]![0]!["kind"]!);
        Assert.Equal(Nursery, (string)changes[0]!["caseChange"]!["changes"]![0]!["agencyId"]!);
        Assert.Equal(new JsonObject { ["kind"] = "status", ["from"] = "accepted", ["to"] = "registered" }.ToJsonString(), changes[1]!["caseChange"]!["changes"]![0]!.ToJsonString());
        Assert.Equal("registered", (string)changes[2]!["caseChange"]!["changes"]![0]!["kind"]!);
        Assert.Equal("個別ケース検討会議で登録", (string)changes[1]!["caseChange"]!["reason"]!);
    }

    [Fact]
    public async Task UnderLocationSecrecyACaseChangesReasonIsWithheldFromWhoMayNotSeeWhereTheChildLives()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync(record => record["locationSecrecy"] = true);
        ((Microsoft.Extensions.Time.Testing.FakeTimeProvider)api.Host.Clock!).Advance(TimeSpan.FromSeconds(1)); // after the registration on the timeline
        using (var changed = await api.PatchAsync(caseId, "\"v1\"", "DV避難先への転居に伴い登録", new JsonObject { ["status"] = "registered" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        var forMember = (await api.EntriesAsync(caseId, Teacher)).First(entry => (string)entry!["type"]! == "case-change")!;
        var forCoordinator = (await api.EntriesAsync(caseId)).First(entry => (string)entry!["type"]! == "case-change")!;

        Assert.Null(forMember["caseChange"]!["reason"]);
        Assert.True((bool)forMember["caseChange"]!["reasonWithheld"]!);
        Assert.Equal("DV避難先への転居に伴い登録", (string)forCoordinator["caseChange"]!["reason"]!);
    }

    [Fact]
    public async Task PagesFollowTheTokenNewestFirstAndFilterByKindAndTime()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var clock = (Microsoft.Extensions.Time.Testing.FakeTimeProvider)api.Host.Clock!;
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            ids.Add(i % 2 == 0 ? await api.ReportIdAsync(caseId, Report($"報告 {i}"), Teacher) : await api.CommentIdAsync(caseId, new JsonObject { ["text"] = $"コメント {i}" }, Nurse));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            using var response = await api.TimelineAsync(caseId, "?pageSize=2" + (token is null ? "" : "&continuationToken=" + token), Teacher);
            var page = await CaseApi.BodyAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, page.ToJsonString());
            seen.AddRange(ReportApiTests.Ids(page["entries"]!.AsArray()));
            token = (string?)page["continuationToken"];
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal([.. Enumerable.Reverse(ids)], seen.Take(5)); // then the registration
        Assert.Equal(6, seen.Count);
        Assert.Equal([ids[4], ids[2], ids[0]], ReportApiTests.Ids(await api.EntriesAsync(caseId, Teacher, "?kinds=report")));
        Assert.Equal([ids[1], ids[0]], ReportApiTests.Ids(await api.EntriesAsync(caseId, Teacher, "?kinds=report,comment&before=2025-06-15T15:32:30Z")));
        using var badKind = await api.TimelineAsync(caseId, "?kinds=rumour&pageSize=500&before=yesterday", Teacher);
        await CaseApi.ValidationErrorsAsync(badKind, ("$.kinds", "invalid-value"), ("$.before", "offset-required"));
        using var foreignToken = await api.TimelineAsync(caseId, "?kinds=report&continuationToken=" + Serverless.Storage.ContinuationTokens.Encode("history-" + caseId, "x"), Teacher);
        await CaseApi.ValidationErrorsAsync(foreignToken, ("$.continuationToken", "invalid-id"));
        using var hidden = await api.TimelineAsync(caseId, "?kinds=rumour", UnnamedTeacher);
        await CaseApi.ProblemAsync(hidden, ProblemCatalogue.NotFound); // 404 before the query's own errors
    }

    [Fact]
    public async Task TheAuditOfTheCaseSaysWhichEntriesEachAnswerCarried()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var clock = (Microsoft.Extensions.Time.Testing.FakeTimeProvider)api.Host.Clock!; // the audit orders by time
        var words = await api.ReportIdAsync(caseId, Report("本人の言葉", "coordinators-only"), Teacher);
        clock.Advance(TimeSpan.FromSeconds(1));
        var shared = await api.ReportIdAsync(caseId, Report("共有する所見"), Teacher);
        clock.Advance(TimeSpan.FromSeconds(1));
        await api.EntriesAsync(caseId, Nurse);
        clock.Advance(TimeSpan.FromSeconds(1));
        await api.EntriesAsync(caseId);

        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, 100, null, CancellationToken.None)).Page.Entries;
        var reads = audit.Where(entry => entry.Action == AuditActions.TimelineRead).ToList();
        Assert.Equal(2, reads.Count);
        Assert.Equal([shared], reads[0].EntriesTouched!);
        Assert.Equal(new[] { shared, words }.Order(), reads[1].EntriesTouched!.Order());
        var whoReadTheWords = audit.Where(entry => entry.EntriesTouched?.Contains(words) == true).Select(entry => (entry.Action, entry.ActorId)).ToList();
        Assert.Equal(
            [(AuditActions.ReportSubmit, Serverless.DevHost.DemoPeople.PersonId(Teacher)), (AuditActions.TimelineRead, Serverless.DevHost.DemoPeople.PersonId(CaseApi.Coordinator))],
            whoReadTheWords);
    }

    [Fact]
    public async Task AReportTheCallerMayNotSeeIsAuditedAsRefusedAndAMissingOneAsMissing()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var hidden = await api.ReportIdAsync(caseId, Report("本人の言葉", "coordinators-only"), Teacher);
        var clock = (Microsoft.Extensions.Time.Testing.FakeTimeProvider)api.Host.Clock!;

        clock.Advance(TimeSpan.FromSeconds(1));
        using (var refused = await api.GetReportAsync(caseId, hidden, Nurse))
        {
            await CaseApi.ProblemAsync(refused, ProblemCatalogue.NotFound);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        using (var missing = await api.GetReportAsync(caseId, "r" + new string('0', 26), Nurse))
        {
            await CaseApi.ProblemAsync(missing, ProblemCatalogue.NotFound);
        }

        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, 100, null, CancellationToken.None)).Page.Entries;
        var reads = audit.Where(entry => entry.Action == AuditActions.ReportRead && entry.Kind == "outcome").ToList();
        Assert.Equal([(hidden, nameof(AuditOutcome.Refused)), ("r" + new string('0', 26), nameof(AuditOutcome.Missing))], reads.Select(entry => (entry.EntryId!, entry.Outcome!)));
        Assert.All(reads, entry => Assert.Null(entry.EntriesTouched)); // no content went out
    }

    [Fact]
    public async Task ThroughBreakGlassAPersonSeesTheEntriesTheLeadAgencySees()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var shared = await api.ReportIdAsync(caseId, Report("全体に共有"), Teacher);
        var toLead = await api.ReportIdAsync(caseId, Report("主担当機関にだけ", "named-agencies", "midori-kodomo-ka"), Teacher);
        var toNurse = await api.ReportIdAsync(caseId, Report("保健センターにだけ", "named-agencies", HealthCentre), Teacher);
        using var before = await api.TimelineAsync(caseId, person: "jisou-ito");
        await CaseApi.ProblemAsync(before, ProblemCatalogue.NotFound);
        using (var opened = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/break-glass", "jisou-ito", CaseApi.Json(new JsonObject { ["reason"] = "夜間の一時保護の判断" })))
        {
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        using var response = await api.TimelineAsync(caseId, "?pageSize=100", "jisou-ito");
        var page = await CaseApi.BodyAsync(response);
        using var adding = await api.SubmitReportAsync(caseId, Report(), "jisou-ito");

        Assert.True((bool)page["breakGlass"]!);
        var ids = ReportApiTests.Ids(page["entries"]!.AsArray()).ToList();
        Assert.Contains(shared, ids);
        Assert.Contains(toLead, ids);
        Assert.DoesNotContain(toNurse, ids);
        await CaseApi.ProblemAsync(adding, ProblemCatalogue.Forbidden); // break-glass reads; it does not write
    }

    [Fact]
    public async Task AnEntrysEventRecordsTheCasesActivityThroughTheQueue()
    {
        await using var api = await CaseApi.StartAsync(backgroundTriggers: true);
        var caseId = await api.SharedCaseAsync();

        await api.ReportIdAsync(caseId, Report(), Teacher);
        await api.CommentIdAsync(caseId, new JsonObject { ["text"] = "確認しました" }, Nurse);

        var activity = api.Host.Get<CaseActivityLog>();
        await TestHost.WaitUntilAsync(async () => (await activity.GetAsync(caseId, CancellationToken.None)).LastByKind.Count == 2, TimeSpan.FromSeconds(20), "both entries are in the activity summary");
        var summary = await activity.GetAsync(caseId, CancellationToken.None);
        Assert.Equal(CaseApi.Now, summary.LastByKind[CaseActivityKind.Report]);
        Assert.Equal(CaseApi.Now, summary.LastActivityAt);
    }
}
