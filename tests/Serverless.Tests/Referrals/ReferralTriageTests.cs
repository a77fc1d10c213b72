using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Referrals;

/// <summary>Safety confirmations and the intake meeting's decision.</summary>
public sealed class ReferralTriageTests
{
    [Fact]
    public async Task TheFirstSafetyConfirmationStopsTheClockAndLaterOnesDoNotMoveIt()
    {
        await using var api = await CaseApi.StartAsync();
        var referralId = await api.ReferralIdAsync(Referral());

        using var future = await api.ConfirmAsync(referralId, Sighting("2025-06-17T09:00:00+09:00"));
        await CaseApi.ValidationErrorsAsync(future, ("$.seenAt", "future-date"));
        using var before = await api.ConfirmAsync(referralId, Sighting("2025-06-14T09:00:00+09:00"));
        await CaseApi.ValidationErrorsAsync(before, ("$.seenAt", "before-concern"));
        using var byMember = await api.ConfirmAsync(referralId, Sighting(), Teacher);
        await CaseApi.ProblemAsync(byMember, ProblemCatalogue.NotFound);
        Assert.True((bool)(await api.ReferralAsync(referralId))["clock"]!["running"]!);

        using var first = await api.ConfirmAsync(referralId, Sighting());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await api.ConfirmAsync(referralId, Sighting("2025-06-16T00:20:00+09:00"));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        var referral = await api.ReferralAsync(referralId);
        Assert.False((bool)referral["clock"]!["running"]!);
        Assert.Equal("2025-06-16T00:10:00+09:00", (string)referral["clock"]!["confirmedAt"]!);
        Assert.Equal("in-progress", (string)referral["state"]!);
        Assert.Equal(2, referral["confirmations"]!.AsArray().Count);
        Assert.Equal("in-progress", (string)(await CaseApi.BodyAsync(await api.GetReferralAsync(referralId, Teacher)))["receipt"]!["state"]!);
    }

    [Fact]
    public async Task NoFurtherActionOnAnAbuseReportNeedsASightingOrAReasonAndThenTheReferralIsReadOnly()
    {
        await using var api = await CaseApi.StartAsync();
        var referralId = await api.ReferralIdAsync(Referral());
        var closing = Decision("no-further-action", summary: null);
        closing["reason"] = "同一の内容で既に対応中のため";

        using var refused = await api.DecideAsync(referralId, closing);
        var problem = await CaseApi.ProblemAsync(refused, ProblemCatalogue.SafetyConfirmationRequired);
        Assert.Contains("安全確認", (string)problem["detail"]!);
        using var noReason = await api.DecideAsync(referralId, Decision("no-further-action", summary: null));
        await CaseApi.ValidationErrorsAsync(noReason, ("$.reason", "required"));
        var mixed = Decision("no-further-action", summary: null);
        mixed["reason"] = "助言のみ";
        mixed["caseId"] = "c0000000000000000000000000";
        mixed["centreAgencyId"] = "chuo-jisou";
        using var notForOutcome = await api.DecideAsync(referralId, mixed);
        await CaseApi.ValidationErrorsAsync(notForOutcome, ("$.caseId", "not-for-outcome"), ("$.centreAgencyId", "not-for-outcome"));
        Assert.Null((await api.ReferralAsync(referralId))["decision"]);

        closing["noConfirmationReason"] = "転居済みで市外。転居先の市に情報提供済み。";
        using var decided = await api.DecideAsync(referralId, closing);
        var view = await CaseApi.BodyAsync(decided);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal("decided", (string)view["state"]!);
        Assert.Equal(DemoPeople.PersonId(CaseApi.Coordinator), (string)view["decision"]!["decidedBy"]!);
        Assert.Equal("2030-06-16", (string)view["retainUntil"]!);

        using var again = await api.DecideAsync(referralId, closing);
        await CaseApi.ProblemAsync(again, ProblemCatalogue.ReferralDecided);
        // The clock still runs on a decided abuse report: it stays on the open list until someone sees the child.
        Assert.Contains(referralId, (await api.OpenReferralsAsync()).Select(item => (string)item!["referralId"]!));
        using var sighting = await api.ConfirmAsync(referralId, Sighting());
        Assert.Equal(HttpStatusCode.Created, sighting.StatusCode);
        Assert.DoesNotContain(referralId, (await api.OpenReferralsAsync()).Select(item => (string)item!["referralId"]!));
    }

    [Fact]
    public async Task IntoANewCaseTheReferralIsTheFirstEntryAndARetryRegistersNothingTwice()
    {
        await using var api = await CaseApi.StartAsync();
        var referralId = await api.ReferralIdAsync(Referral());
        api.Host.Clock!.Advance(TimeSpan.FromMinutes(30));
        using var confirmed = await api.ConfirmAsync(referralId, Sighting());
        var decision = Decision("new-case");
        var draft = (await api.ReferralAsync(referralId))["caseDraft"]!.AsObject();
        Assert.Equal("アオキ", (string)draft["child"]!["name"]!["familyKana"]!);
        Assert.Equal("school", (string)draft["referralRoute"]!);

        using var decided = await api.DecideAsync(referralId, decision);
        var view = await CaseApi.BodyAsync(decided);
        Assert.True(decided.StatusCode == HttpStatusCode.OK, view.ToJsonString());
        var caseId = (string)view["decision"]!["caseId"]!;

        var entries = await api.EntriesAsync(caseId);
        var oldest = entries[^1]!;
        Assert.Equal("referral", (string)oldest["type"]!);
        Assert.Equal(referralId, (string)oldest["entryId"]!);
        Assert.Equal("8歳児。ほほにあざ。学校で見守り、家庭訪問を予定。", (string)oldest["referral"]!["summary"]!);
        Assert.Single(entries, entry => (string)entry!["type"]! == "safety-confirmation");
        Assert.DoesNotContain(ReferrerWords, entries.ToJsonString());

        // The same decision again (a client retrying after a lost answer) is refused and registers no second case.
        using var retried = await api.DecideAsync(referralId, decision);
        await CaseApi.ProblemAsync(retried, ProblemCatalogue.ReferralDecided);
        using var list = await api.ListAsync("?status=accepted");
        Assert.Single((await CaseApi.BodyAsync(list))["cases"]!.AsArray());
    }

    [Fact]
    public async Task MembersOfTheCaseReadTheSummaryNeverTheReferrerTheNarrativeOrTheRoute()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync(record => record["referralRoute"] = "school");
        var referralId = await api.ReferralIdAsync(PhoneReferral(), CaseApi.Coordinator);
        var decision = Decision("existing-case");
        decision["caseId"] = caseId;

        using var byMember = await api.DecideAsync(referralId, decision, Teacher);
        await CaseApi.ProblemAsync(byMember, ProblemCatalogue.NotFound);
        using var decided = await api.DecideAsync(referralId, decision);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        var seen = await api.EntriesAsync(caseId, Nurse);
        var entry = Assert.Single(seen, entry => (string)entry!["type"]! == "referral")!;
        Assert.Equal("abuse-report", (string)entry["referral"]!["kind"]!);
        foreach (var secret in new[] { ReferrerName, ReferrerContact, "近所の子どもが夜に外で泣いている", "近隣住民" })
        {
            Assert.DoesNotContain(secret, seen.ToJsonString());
        }

        using var record = await api.GetAsync(caseId, Nurse);
        Assert.Null((await CaseApi.BodyAsync(record))["record"]!["referralRoute"]);
        using var coordinatorRecord = await api.GetAsync(caseId);
        Assert.Equal("school", (string)(await CaseApi.BodyAsync(coordinatorRecord))["record"]!["referralRoute"]!);
        using var history = await api.HistoryAsync(caseId, person: Nurse);
        Assert.DoesNotContain("referralRoute", (await CaseApi.BodyAsync(history)).ToJsonString());
    }

    [Fact]
    public async Task ReferringToTheCentreKeepsTheClockUntilTheCentreAccepts()
    {
        await using var api = await CaseApi.StartAsync();
        var referralId = await api.ReferralIdAsync(Referral());
        var decision = Decision("referred-to-centre", summary: null);
        decision["centreAgencyId"] = School;

        using var notACentre = await api.DecideAsync(referralId, decision);
        await CaseApi.ValidationErrorsAsync(notACentre, ("$.centreAgencyId", "not-a-centre"));
        using var early = await api.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/centre-acceptance", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["acceptedAt"] = "2025-06-16T00:20:00+09:00" }));
        await CaseApi.ProblemAsync(early, ProblemCatalogue.NotReferredToCentre);

        decision["centreAgencyId"] = "chuo-jisou";
        api.Host.Clock!.Advance(TimeSpan.FromHours(1));
        using var decided = await api.DecideAsync(referralId, decision);
        Assert.True((bool)(await CaseApi.BodyAsync(decided))["clock"]!["running"]!);
        using var accepted = await api.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/centre-acceptance", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["acceptedAt"] = "2025-06-16T00:40:00+09:00", ["acceptedBy"] = "伊藤" }));
        var view = await CaseApi.BodyAsync(accepted);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, view.ToJsonString());
        Assert.False((bool)view["clock"]!["running"]!);
        Assert.Equal("2025-06-16T00:40:00+09:00", (string)view["clock"]!["handedToCentreAt"]!);
        Assert.Empty(await api.OpenReferralsAsync());
    }
}
