using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Serverless.DevHost;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Hosting;

/// <summary>
/// The demo town as <c>tools/Dev start</c> seeds it, read back through the HTTP API as its people would: each case
/// has a timeline that shows what the product is for, need to know holds inside it, the referrals keep their
/// referrers secret, and seeding logs ids only.
/// </summary>
public sealed class DemoDataTests
{
    private const string Coordinator = "coordinator-sato";

    [Fact]
    public async Task EveryDemoCaseHasReportsCommentsRepliesAndItsOwnChangesOnItsTimeline()
    {
        await using var host = await TestHost.StartAsync(seedDemoData: true);

        var caseIds = await DemoCaseIdsAsync(host);
        var timelines = new List<JsonArray>();
        foreach (var caseId in caseIds)
        {
            var entries = await TimelineAsync(host, caseId, Coordinator);
            timelines.Add(entries);
            Assert.InRange(entries.Count, 5, 12);
            Assert.Contains(entries, entry => Type(entry) == "report");
            Assert.Contains(entries, entry => Type(entry) == "comment");
            Assert.Contains(entries, entry => Type(entry) == "case-change");
            // Agencies answer each other: some comment replies to an entry on the same timeline.
            var ids = entries.Select(entry => (string)entry!["entryId"]!).ToHashSet();
            Assert.Contains(entries, entry => entry!["comment"]?["inReplyTo"] is JsonValue parent && ids.Contains((string)parent!));
            // Things were seen over weeks, days before the server received them.
            Assert.Contains(entries, entry => entry!["observedAt"] is JsonValue observed && DateTimeOffset.Parse((string)observed!) < DateTimeOffset.UtcNow.AddDays(-7));
        }

        Assert.Equal(3, caseIds.Count);
        var all = timelines.SelectMany(entries => entries).ToList();
        Assert.Contains(all, entry => entry!["author"]!["kind"]!.GetValue<string>() == "form" && entry["author"]!["submittedBy"]?["name"] is not null);
        Assert.Contains(all, entry => entry!["corrected"] is JsonValue corrected && (bool)corrected!);
        Assert.Contains(all, entry => entry!["report"]?["injury"]?["bodyParts"] is JsonArray { Count: > 0 });
        Assert.Contains(all, entry => entry!["comment"]?["mentions"] is JsonObject);
        Assert.Contains(all, entry => entry!["caseChange"]?["changes"]?[0]?["kind"]?.GetValue<string>() == "participant-joined");
    }

    [Fact]
    public async Task TheChildsOwnWordsAreSeenByACoordinatorButNotByTheNurseOfAnotherAgencyOnTheSameCase()
    {
        await using var host = await TestHost.StartAsync(seedDemoData: true);
        string? caseId = null;
        JsonNode? words = null;
        foreach (var id in await DemoCaseIdsAsync(host))
        {
            words ??= (await TimelineAsync(host, id, Coordinator)).FirstOrDefault(entry => (string?)entry!["report"]?["kind"] == "childs-words");
            caseId ??= words is null ? null : id;
        }

        Assert.NotNull(words);
        Assert.Equal("coordinators-only", (string)words["scope"]!["audience"]!);
        var wordsId = (string)words["entryId"]!;

        // nurse-suzuki (health centre) is named on the school child's case and sees its other reports.
        var forNurse = await TimelineAsync(host, caseId!, "nurse-suzuki");
        Assert.Contains(forNurse, entry => (string?)entry!["report"]?["kind"] == "home-visit");
        Assert.DoesNotContain(forNurse, entry => (string)entry!["entryId"]! == wordsId || (string?)entry["comment"]?["inReplyTo"] == wordsId);
        using var read = await SendAsync(host, $"api/cases/{caseId}/reports/{wordsId}", "nurse-suzuki");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);

        // The teacher who wrote them sees them; his colleague, not named on the case, sees no timeline at all.
        Assert.Contains(await TimelineAsync(host, caseId!, "teacher-tanaka"), entry => (string)entry!["entryId"]! == wordsId);
        using var unnamed = await SendAsync(host, $"api/cases/{caseId}/timeline", "teacher-kimura");
        Assert.Equal(HttpStatusCode.NotFound, unnamed.StatusCode);
    }

    [Fact]
    public async Task SeedingLogsCountsAndIdsButNoRefusalAndNothingTheTimelinesSay()
    {
        await using var host = await TestHost.StartAsync(seedDemoData: true);

        var demoLogs = host.Logs.Entries.Where(entry => entry.Category.StartsWith("Serverless.DevHost.Demo", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(demoLogs, entry => entry.Level >= LogLevel.Warning);
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Text.Contains("refused", StringComparison.OrdinalIgnoreCase));
        Assert.Single(demoLogs, entry => entry.Text.StartsWith("Demo data: 6 agencies, 3 cases and ", StringComparison.Ordinal));
        Assert.Equal(3, demoLogs.Count(entry => entry.Text.StartsWith("Demo timeline of case ", StringComparison.Ordinal)));
        Assert.Single(demoLogs, entry => entry.Text.StartsWith("Demo referrals: 3, 1 open ", StringComparison.Ordinal));

        // What the timelines and records say, read back as a coordinator, appears in no log line.
        var said = new List<string>();
        foreach (var caseId in await DemoCaseIdsAsync(host))
        {
            foreach (var entry in await TimelineAsync(host, caseId, Coordinator))
            {
                said.AddRange(new[] { entry!["report"]?["narrative"], entry["comment"]?["text"], entry["author"]?["submittedBy"]?["name"] }.OfType<JsonValue>().Select(text => (string)text!));
            }

            using var record = await SendAsync(host, $"api/cases/{caseId}", Coordinator);
            var person = (await JsonNode.ParseAsync(await record.Content.ReadAsStreamAsync()))!["record"]!;
            said.Add((string)(person["child"] ?? person["expectantMother"]!["mother"])!["name"]!["given"]!);
        }

        said.AddRange(await ReferrerSecretsAsync(host, await DemoReferralIdsAsync(host)));

        Assert.True(said.Count >= 25, $"only {said.Count} texts read back");
        var leaks = host.Logs.Entries.Where(entry => said.Any(text => entry.Everything.Contains(text, StringComparison.Ordinal))).Select(entry => entry.Category).ToList();
        Assert.Empty(leaks);
    }

    [Fact]
    public async Task ACoordinatorListsTheNeighboursCallAsTheOneOpenReferralWithEighteenHoursLeftAndReadsWhoPhoned()
    {
        await using var host = await TestHost.StartAsync(seedDemoData: true);

        using var list = await SendAsync(host, "api/referrals?state=open", Coordinator);
        var open = (await JsonNode.ParseAsync(await list.Content.ReadAsStreamAsync()))!["referrals"]!.AsArray();

        var call = Assert.Single(open)!;
        Assert.Equal("abuse-report", (string)call["kind"]!);
        Assert.Equal("received", (string)call["state"]!);
        Assert.True((bool)call["clock"]!["running"]!);
        Assert.InRange((int)call["clock"]!["minutesLeft"]!, (17 * 60) + 50, 18 * 60); // received 30 hours before start-up, 48 allowed
        var referral = await ReferralAsync(host, (string)call["referralId"]!);
        Assert.Equal("phone", (string)referral["channel"]!);
        Assert.Equal("neighbour", (string)referral["route"]!);
        Assert.Equal(DemoPeople.PersonId("coordinator-mori"), (string)referral["submitter"]!["personId"]!);
        Assert.Equal("石井 和代", (string)referral["referrer"]!["name"]!);
        Assert.Empty(referral["confirmations"]!.AsArray());
        Assert.Null(referral["decision"]);
    }

    [Fact]
    public async Task TheNurseryFormsReferralJoinedSakurasCaseWithItsSightingAndTheNursesConsultationWasClosedWithAReason()
    {
        await using var host = await TestHost.StartAsync(seedDemoData: true);
        var ids = await DemoReferralIdsAsync(host);

        var form = await ReferralAsync(host, ids.Form);
        Assert.Equal("form", (string)form["submitter"]!["kind"]!);
        Assert.Equal("hikari-hoikuen", (string)form["submitter"]!["agencyId"]!);
        Assert.Equal("existing-case", (string)form["decision"]!["outcome"]!);
        Assert.False((bool)form["clock"]!["running"]!);
        Assert.Equal("at-nursery", (string)Assert.Single(form["confirmations"]!.AsArray())!["method"]!);
        var timeline = await TimelineAsync(host, (string)form["decision"]!["caseId"]!, "nursery-yamada");
        var entry = Assert.Single(timeline, entry => Type(entry) == "referral")!;
        Assert.Equal((string)form["decision"]!["summary"]!, (string)entry["referral"]!["summary"]!);
        Assert.Single(timeline, entry => Type(entry) == "safety-confirmation");

        var consultation = await ReferralAsync(host, ids.Consultation);
        Assert.Equal(("care-consultation", "decided", "no-further-action"), ((string)consultation["kind"]!, (string)consultation["state"]!, (string)consultation["decision"]!["outcome"]!));
        Assert.StartsWith("母の同意を得て", (string)consultation["decision"]!["reason"]!, StringComparison.Ordinal);
        Assert.NotNull(consultation["retainUntil"]);
    }

    [Fact]
    public async Task NoTeacherNurseryHeadNurseOrCentreWorkerSeesWhoReferredADemoChildOrWhatTheReferralSays()
    {
        await using var host = await TestHost.StartAsync(seedDemoData: true);
        var ids = await DemoReferralIdsAsync(host);
        var secrets = await ReferrerSecretsAsync(host, ids);
        var caseIds = await DemoCaseIdsAsync(host);

        foreach (var person in DemoPeople.People.Where(person => person.Role == Serverless.Identity.CallerRole.Member))
        {
            var answers = new List<string>();
            var read = 0;
            foreach (var path in new[] { "api/referrals", $"api/referrals/{ids.Call}", $"api/referrals/{ids.Form}", $"api/referrals/{ids.Consultation}" }
                .Concat(caseIds.SelectMany(caseId => new[] { $"api/cases/{caseId}", $"api/cases/{caseId}/timeline?pageSize=100", $"api/cases/{caseId}/history" })))
            {
                using var response = await SendAsync(host, path, person.Subject);
                read += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
                answers.Add(await response.Content.ReadAsStringAsync());
            }

            Assert.True(read > 0, $"{person.Subject} was answered nothing"); // signed in: their receipts at least
            var everything = string.Join("\n", answers);
            Assert.True(secrets.TrueForAll(secret => !everything.Contains(secret, StringComparison.Ordinal)), $"{person.Subject} was shown part of a referral");
        }

        // The nurse who asked sees her own receipt and its state, nothing she did not write.
        using var mine = await SendAsync(host, "api/referrals", "nurse-suzuki");
        var receipt = Assert.Single((await JsonNode.ParseAsync(await mine.Content.ReadAsStreamAsync()))!["receipts"]!.AsArray())!;
        Assert.Equal((ids.Consultation, "decided"), ((string)receipt["referralId"]!, (string)receipt["state"]!));
    }

    [Fact]
    public async Task ARefusedSeedingStepStopsTheHostAndLogsOnlyTheStepAndTheOutcome()
    {
        // Before the demo memberships begin (2024-04-01) nobody is a coordinator yet, so the first comment that
        // mentions one is refused as "not on the case": the host must not start with half a demo.
        var logs = new LogCapture();
        string[] args = ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", TestStorage.ConnectionString, "--Storage:NamePrefix", TestStorage.NewPrefix()];
        await using var app = DevHostApplication.Build(args, new DevHostOptions
        {
            SeedDemoData = true,
            RunBackgroundTriggers = false,
            ConfigureServices = services =>
            {
                services.AddLogging(logging => logging.AddProvider(logs));
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero))));
            },
        });

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        var refused = Assert.IsType<DemoRefusedException>(thrown is AggregateException aggregate ? aggregate.InnerException : thrown);
        Assert.Contains("mentions", refused.Message, StringComparison.Ordinal);
        var logged = Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Error && entry.Category.StartsWith("Serverless.DevHost.Demo", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}]", logged.Text);
    }

    /// <summary>The demo cases, as the coordinator lists them (accepted and registered).</summary>
    private static async Task<List<string>> DemoCaseIdsAsync(TestHost host)
    {
        var ids = new List<string>();
        foreach (var status in new[] { "accepted", "registered" })
        {
            using var response = await SendAsync(host, $"api/cases?status={status}&pageSize=100", Coordinator);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync());
            ids.AddRange(page!["cases"]!.AsArray().Select(view => (string)view!["caseId"]!));
        }

        return ids;
    }

    /// <summary>The demo referrals: the call on the open list, the form's on さくら's timeline, the nurse's among her receipts.</summary>
    private static async Task<(string Call, string Form, string Consultation)> DemoReferralIdsAsync(TestHost host)
    {
        using var open = await SendAsync(host, "api/referrals?state=open", Coordinator);
        var call = (string)(await JsonNode.ParseAsync(await open.Content.ReadAsStreamAsync()))!["referrals"]![0]!["referralId"]!;
        string? form = null;
        foreach (var caseId in await DemoCaseIdsAsync(host))
        {
            form ??= (string?)(await TimelineAsync(host, caseId, Coordinator)).FirstOrDefault(entry => Type(entry) == "referral")?["entryId"];
        }

        using var receipts = await SendAsync(host, "api/referrals", "nurse-suzuki");
        var consultation = (string)(await JsonNode.ParseAsync(await receipts.Content.ReadAsStreamAsync()))!["receipts"]![0]!["referralId"]!;
        return (call, form!, consultation);
    }

    /// <summary>The whole referral, as a coordinator reads it.</summary>
    private static async Task<JsonObject> ReferralAsync(TestHost host, string referralId)
    {
        using var response = await SendAsync(host, $"api/referrals/{referralId}", Coordinator);
        var body = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        return body!["referral"]!.AsObject();
    }

    /// <summary>What identifies the demo referrers, and what the referrals say in their words, as a coordinator reads them:
    /// the caller's name and number, the name typed into the nursery's form, and each narrative (whole, and its opening
    /// words, so a shortened copy is caught too).</summary>
    private static async Task<List<string>> ReferrerSecretsAsync(TestHost host, (string Call, string Form, string Consultation) ids)
    {
        var (call, form, consultation) = (await ReferralAsync(host, ids.Call), await ReferralAsync(host, ids.Form), await ReferralAsync(host, ids.Consultation));
        var narratives = new[] { call, form, consultation }.Select(referral => (string)referral["narrative"]!).ToList();
        return
        [
            (string)call["referrer"]!["name"]!,
            (string)call["referrer"]!["contact"]!,
            (string)form["submitter"]!["submittedBy"]!["name"]!,
            .. narratives,
            .. narratives.Select(narrative => narrative[..15]),
        ];
    }

    private static async Task<JsonArray> TimelineAsync(TestHost host, string caseId, string person)
    {
        using var response = await SendAsync(host, $"api/cases/{caseId}/timeline?pageSize=100", person);
        var page = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, page?.ToJsonString());
        Assert.Null(page!["continuationToken"]);
        return page["entries"]!.AsArray();
    }

    private static async Task<HttpResponseMessage> SendAsync(TestHost host, string path, string person)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        host.SignIn(request, person);
        return await host.Client.SendAsync(request);
    }

    private static string Type(JsonNode? entry) => (string)entry!["type"]!;
}
