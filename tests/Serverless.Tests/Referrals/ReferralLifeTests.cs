using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Referrals;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Referrals;

/// <summary>A referral's whole life on a moved clock: each escalation raised exactly once, whatever the timer does.</summary>
public sealed class ReferralLifeTests
{
    private const string OnCall = "coordinator-mori";
    private const string CentreStaff = "jisou-ito";

    [Fact]
    public async Task FromReceiptThroughReminderAndOverdueToAConfirmedDecidedCase()
    {
        await using var api = await CaseApi.StartAsync();
        var clock = api.Host.Clock!;
        var escalations = api.Host.Get<ReferralEscalations>();
        var consultation = await api.ReferralIdAsync(Referral("care-consultation"));
        clock.Advance(TimeSpan.FromMinutes(5));
        var referralId = await api.ReferralIdAsync(Referral());

        Assert.Equal(0, (await escalations.RunAsync(CancellationToken.None)).Raised);
        clock.Advance(TimeSpan.FromHours(35) + TimeSpan.FromMinutes(50)); // just before the reminder (36 h after receipt)
        Assert.Equal(0, (await escalations.RunAsync(CancellationToken.None)).Raised);
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, (await escalations.RunAsync(CancellationToken.None)).Raised);
        Assert.Equal(0, (await escalations.RunAsync(CancellationToken.None)).Raised); // the timer again, and again: nothing new
        Assert.Equal(1, await CountAsync(api, OnCall, "referral-due-soon", referralId));
        Assert.Equal(0, await CountAsync(api, CentreStaff, "referral-due-soon", referralId));

        // The overdue stage's run crashes after recording the stage, before anyone was told (as a killed host would).
        clock.Advance(TimeSpan.FromHours(12));
        var store = api.Host.Get<ReferralStore>();
        var deadline = clock.GetUtcNow();
        await store.RaiseAsync(referralId, new Escalation(EscalationStage.Overdue, deadline, deadline, [DemoPeople.PersonId(OnCall), DemoPeople.PersonId(CentreStaff)], true, null), CancellationToken.None);
        Assert.Equal(0, await CountAsync(api, OnCall, "referral-overdue", referralId));
        Assert.Equal(1, (await escalations.RunAsync(CancellationToken.None)).Raised); // the next run finishes it
        Assert.Equal(0, (await escalations.RunAsync(CancellationToken.None)).Raised);
        Assert.Equal(1, await CountAsync(api, OnCall, "referral-overdue", referralId));
        Assert.Equal(1, await CountAsync(api, CentreStaff, "referral-overdue", referralId)); // the centre is told when it is overdue
        Assert.Equal(0, await CountAsync(api, Teacher, "referral-overdue", referralId));

        var open = await api.OpenReferralsAsync();
        Assert.Equal([referralId, consultation], open.Select(item => (string)item!["referralId"]!)); // overdue first, then the oldest
        Assert.True((bool)open[0]!["clock"]!["overdue"]!);
        Assert.Equal(0, (int)open[0]!["clock"]!["minutesLeft"]!); // due this minute: overdue from the deadline on
        var escalated = await api.ReferralAsync(referralId);
        Assert.Equal(["reminder", "overdue"], escalated["escalations"]!.AsArray().Select(e => (string)e!["stage"]!).Order(StringComparer.Ordinal).Reverse());
        Assert.True((bool)escalated["escalations"]!.AsArray().Single(e => (string)e!["stage"]! == "overdue")!["decisionDue"]!);

        clock.Advance(TimeSpan.FromHours(1));
        using var seen = await api.ConfirmAsync(referralId, Sighting(JapanTimeOf(clock.GetUtcNow() - TimeSpan.FromMinutes(10))));
        Assert.Equal(HttpStatusCode.Created, seen.StatusCode);
        clock.Advance(TimeSpan.FromHours(1));
        using var decided = await api.DecideAsync(referralId, Decision("new-case"));
        var view = await CaseApi.BodyAsync(decided);
        Assert.True(decided.StatusCode == HttpStatusCode.OK, view.ToJsonString());
        Assert.Equal(0, (await escalations.RunAsync(CancellationToken.None)).Raised);

        var caseId = (string)view["decision"]!["caseId"]!;
        var entries = await api.EntriesAsync(caseId);
        Assert.Equal("referral", (string)entries[^1]!["type"]!);
        Assert.Equal([consultation], (await api.OpenReferralsAsync()).Select(item => (string)item!["referralId"]!));
    }

    [Fact]
    public async Task APointerWrittenAheadOfAReferralThatWasNeverStoredIsDroppedAndNeverListed()
    {
        await using var api = await CaseApi.StartAsync();
        var store = api.Host.Get<ReferralStore>();
        var ghost = new StoredReferral(ReferralIds.New(), "ABCD-EFGH", ReferralKind.AbuseReport, ReferralChannel.Online, null, api.Host.Clock!.GetUtcNow(), new ReferralSubmitter("person", "p", School), new ReferralContent(api.Host.Clock.GetUtcNow(), "x", new ChildDescription(), null, null));
        await store.PointAheadAsync(ghost, CancellationToken.None);

        Assert.Empty(await api.OpenReferralsAsync());
        api.Host.Clock.Advance(ReferralEscalations.PointerGrace + TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await api.Host.Get<ReferralEscalations>().RunAsync(CancellationToken.None)).PointersDropped);
        Assert.Empty(await store.OpenAsync(CancellationToken.None));
    }

    private static string JapanTimeOf(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> CountAsync(CaseApi api, string person, string kind, string referralId)
    {
        using var response = await api.SendAsync(HttpMethod.Get, "api/notifications?pageSize=100", person);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["notifications"]!.AsArray().Count(item => (string)item!["kind"]! == kind && (string?)item["referralId"] == referralId);
    }
}
