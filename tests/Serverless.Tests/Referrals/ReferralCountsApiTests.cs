using System.Net;
using System.Text.Json.Nodes;
using Serverless.Cases;
using Serverless.Problems;
using Serverless.Referrals;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Referrals;

/// <summary><c>GET /api/stats/referrals</c>: the counts of referrals received, confirmed and decided through the API, for coordinators only.</summary>
public sealed class ReferralCountsApiTests
{
    [Fact]
    public async Task AFiscalYearsCountsFollowFromTheReferralsReceivedConfirmedAndDecidedOnAMovingClock()
    {
        await using var api = await CaseApi.StartAsync();
        var clock = api.Host.Clock!;
        var a = await api.ReferralIdAsync(Referral()); // 00:30 on 16 June, from a teacher: school, online
        clock.Advance(TimeSpan.FromHours(1));
        var b = await api.ReferralIdAsync(PhoneReferral(), CaseApi.Coordinator); // 01:30, a neighbour's call: no route recorded
        var c = await api.ReferralIdAsync(Referral("care-consultation")); // 01:30
        clock.Advance(TimeSpan.FromHours(1));
        var d = (string)(await api.ReceiptAsync(FormReferral(), person: null, key: await api.KeyAsync(Nursery)))["referralId"]!; // 02:30, the nursery's form
        var e = await api.ReferralIdAsync(Call("police"), CaseApi.Coordinator); // 02:30
        var g = await api.ReferralIdAsync(Call("from189"), CaseApi.Coordinator); // 02:30

        clock.Advance(TimeSpan.FromHours(10)); // 12:30 on the 16th
        await ConfirmedAsync(api, a, "2025-06-16T06:30:00+09:00"); // 6 hours after receipt
        var caseId = (string)(await DecidedAsync(api, a, Decision("new-case")))["decision"]!["caseId"]!;
        await DecidedAsync(api, c, Closing());
        await DecidedAsync(api, g, ToCentre());
        using (var accepted = await api.SendAsync(HttpMethod.Post, $"api/referrals/{g}/centre-acceptance", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["acceptedAt"] = "2025-06-16T12:00:00+09:00" })))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode); // handed to the centre before anyone saw the child
        }

        clock.Advance(TimeSpan.FromHours(37)); // 01:30 on the 18th: b's deadline
        await ConfirmedAsync(api, b, "2025-06-18T01:30:00+09:00"); // exactly at the deadline: within it
        var existing = Decision("existing-case");
        existing["caseId"] = caseId;
        await DecidedAsync(api, b, existing);
        clock.Advance(TimeSpan.FromHours(25)); // 02:30 on the 19th
        await ConfirmedAsync(api, d, "2025-06-19T02:30:00+09:00"); // 72 hours: late
        await DecidedAsync(api, d, ToCentre());
        clock.Advance(TimeSpan.FromHours(30.5)); // 09:00 on the 20th; e was never seen and is overdue
        await api.ReferralIdAsync(Referral()); // f: due on the 22nd

        var counts = await api.CountsOfAsync("?fiscalYear=2025");

        Assert.Equal("""{"from":"2025-04-01","to":"2026-03-31","fiscalYear":2025}""", counts["period"]!.ToJsonString());
        Assert.Equal("2025-06-20T09:00:00+09:00", (string)counts["asOf"]!);
        Assert.Equal(7, (int)counts["received"]!);
        Assert.Equal("""{"abuse-report":6,"care-consultation":1,"other-concern":0}""", counts["byKind"]!.ToJsonString());
        Assert.Equal(
            """{"family":0,"relative":0,"neighbour":0,"child-themself":0,"school":3,"nursery":1,"hospital":0,"public-health-centre":0,"child-guidance-centre":1,"welfare-office":0,"police":1,"other-municipality":0,"anonymous":0,"other":0,"unknown":1}""",
            counts["byRoute"]!.ToJsonString());
        Assert.Equal("""{"online":4,"phone":1,"visit":0,"letter":0,"from189":1,"police":1,"school":0,"hospital":0,"other":0}""", counts["byChannel"]!.ToJsonString());
        Assert.Equal(
            """{"abuseReports":6,"confirmed":3,"withinLimit":2,"late":1,"handedToCentreBeforeConfirmation":1,"unconfirmedOverdue":1,"unconfirmedNotYetDue":1,"hoursToFirstConfirmation":{"count":3,"median":48,"percentile90":72},"withinLimitShare":{"numerator":2,"denominator":4}}""",
            counts["safetyConfirmation"]!.ToJsonString());
        Assert.Equal("""{"new-case":1,"existing-case":1,"referred-to-centre":2,"no-further-action":1,"undecided":2}""", counts["decisions"]!.ToJsonString());
        Assert.Equal(
            ["period", "asOf", "received", "byKind", "byRoute", "byChannel", "safetyConfirmation", "decisions"],
            counts.Select(property => property.Key)); // counts only: no id, no name, no agency
        Assert.DoesNotContain(ReferrerName, counts.ToJsonString());
        Assert.DoesNotContain(e, counts.ToJsonString());

        Assert.Equal(6, (int)(await api.CountsOfAsync("?from=2025-06-16&to=2025-06-16"))["received"]!);
        Assert.Equal("""{"from":"2025-06-17","to":"2025-06-20"}""", (await api.CountsOfAsync("?from=2025-06-17&to=2025-06-20"))["period"]!.ToJsonString());
        Assert.Equal(1, (int)(await api.CountsOfAsync("?from=2025-06-17&to=2025-06-20"))["received"]!);
        Assert.Equal(0, (int)(await api.CountsOfAsync("?fiscalYear=2024"))["received"]!);
    }

    [Fact]
    public async Task AFiscalYearCostsOneQueryPerMonthAndOnePointReadPerReferralNeverATableScan()
    {
        await using var api = await CaseApi.StartAsync();
        await api.ReferralIdAsync(Referral());
        await api.ReferralIdAsync(Referral("other-concern"));
        var p = api.Host.Prefix;
        var before = api.Host.Counter.For("GetReferralCounts");

        await api.CountsOfAsync("?fiscalYear=2025");

        Assert.Equal(
            new Dictionary<string, long>
            {
                [$"table GET {p}People()"] = 1, // the caller's memberships
                [$"table POST {p}AuditLog"] = 2, // the audit's intent and outcome
                [$"table GET {p}Referrals()"] = 12, // one query of each month's pointer partition, m-2025-04 to m-2026-03
                [$"table GET {p}Referrals(key)"] = 2, // each referral's head
            },
            StorageOperationCounter.Difference(before, api.Host.Counter.For("GetReferralCounts")));
    }

    [Fact]
    public async Task APointerWrittenAheadOfAReferralThatWasNeverStoredIsNotCounted()
    {
        await using var api = await CaseApi.StartAsync();
        var now = api.Host.Clock!.GetUtcNow();
        var ghost = new StoredReferral(ReferralIds.New(), "ABCD-EFGH", ReferralKind.AbuseReport, ReferralChannel.Online, null, now, new ReferralSubmitter("person", "p", School), new ReferralContent(now, "x", new ChildDescription(), null, null));
        await api.Host.Get<ReferralStore>().PointAheadAsync(ghost, CancellationToken.None);
        await api.ReferralIdAsync(Referral("care-consultation"));

        var counts = await api.CountsOfAsync("?fiscalYear=2025");

        Assert.Equal(1, (int)counts["received"]!);
        Assert.Equal(0, (int)counts["safetyConfirmation"]!["abuseReports"]!);
    }

    [Fact]
    public async Task BadOrMissingDatesAreNamedFieldByField()
    {
        await using var api = await CaseApi.StartAsync();

        foreach (var (query, field, code) in new[]
        {
            ("", "$.fiscalYear", "period-or-fiscal-year"),
            ("?fiscalYear=2025&from=2025-04-01&to=2026-03-31", "$.fiscalYear", "period-or-fiscal-year"),
            ("?from=2025-04-01", "$.to", "required"),
            ("?from=2025-04-31&to=2025-05-31", "$.from", "invalid-value"),
            ("?from=2025-04-01&from=2025-05-01&to=2025-05-31", "$.from", "invalid-value"),
            ("?from=2025-06-16&to=2025-06-15", "$.to", "date-order"),
            ("?from=2025-04-01&to=2026-04-02", "$.to", "out-of-range"),
            ("?fiscalYear=R7", "$.fiscalYear", "invalid-value"),
            ("?fiscalYear=1999", "$.fiscalYear", "out-of-range"),
        })
        {
            using var response = await api.CountsAsync(query);
            await CaseApi.ValidationErrorsAsync(response, (field, code));
        }

        using var tooLong = await api.CountsAsync("?from=2025-04-01&to=2026-04-02");
        var error = Assert.Single(await CaseApi.ValidationErrorsAsync(tooLong, ("$.to", "out-of-range")))!;
        Assert.Equal("2025-04-01から2026-04-01の範囲で指定してください。", (string)error["message"]!);
        using var bothMissing = await api.CountsAsync("?to=", "coordinator-sato");
        Assert.Equal("期間（from と to）か年度（fiscalYear）のどちらか一方を指定してください。", (string)(await CaseApi.ValidationErrorsAsync(bothMissing, ("$.fiscalYear", "period-or-fiscal-year")))[0]!["message"]!);
    }

    [Fact]
    public async Task EveryoneButACoordinatorIsRefusedEvenWithABadPeriod()
    {
        await using var api = await CaseApi.StartAsync();
        var key = await api.KeyAsync(School);

        foreach (var person in new[] { Teacher, NurseryHead, "admin-kobayashi", "auditor-watanabe" })
        {
            using var valid = await api.CountsAsync("?fiscalYear=2025", person);
            await CaseApi.ProblemAsync(valid, ProblemCatalogue.Forbidden);
            using var invalid = await api.CountsAsync("?fiscalYear=R7", person);
            await CaseApi.ProblemAsync(invalid, ProblemCatalogue.Forbidden);
        }

        using var form = await api.CountsAsync("?fiscalYear=2025", person: null, key: key);
        await CaseApi.ProblemAsync(form, ProblemCatalogue.Forbidden);
        using var anonymous = await api.CountsAsync("?fiscalYear=2025", person: null);
        await CaseApi.ProblemAsync(anonymous, ProblemCatalogue.Unauthenticated);
    }

    /// <summary>A call a coordinator enters from <paramref name="channel"/> (the police, 189): the route follows from it.</summary>
    private static JsonObject Call(string channel)
    {
        var body = PhoneReferral();
        body["intake"]!["channel"] = channel;
        return body;
    }

    private static JsonObject Closing()
    {
        var decision = Decision("no-further-action", summary: null);
        decision["reason"] = "助言のみで終了";
        return decision;
    }

    private static JsonObject ToCentre()
    {
        var decision = Decision("referred-to-centre", summary: null);
        decision["centreAgencyId"] = "chuo-jisou";
        return decision;
    }

    private static async Task ConfirmedAsync(CaseApi api, string referralId, string seenAt)
    {
        using var response = await api.ConfirmAsync(referralId, Sighting(seenAt));
        Assert.True(response.StatusCode == HttpStatusCode.Created, (await CaseApi.BodyAsync(response)).ToJsonString());
    }

    private static async Task<JsonObject> DecidedAsync(CaseApi api, string referralId, JsonObject decision)
    {
        using var response = await api.DecideAsync(referralId, decision);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }
}
