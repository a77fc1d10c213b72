using System.Net;
using System.Text.Json.Nodes;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Referrals;

/// <summary>Receiving referrals: who may, what they get back, what they may read afterwards.</summary>
public sealed class ReferralApiTests
{
    [Fact]
    public async Task AMemberGetsAReceiptAndSeesOnlyItsStateWhileACoordinatorSeesEverything()
    {
        await using var api = await CaseApi.StartAsync();

        using var submitted = await api.SubmitReferralAsync(Referral(), Teacher);
        var receipt = await CaseApi.BodyAsync(submitted);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var referralId = (string)receipt["referralId"]!;
        Assert.Matches("^f[0-9a-z]{26}$", referralId);
        Assert.Matches("^[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$", (string)receipt["receiptNumber"]!);
        Assert.Equal("received", (string)receipt["state"]!);
        Assert.Equal("緊急のときは189（児童相談所虐待対応ダイヤル）または110へ", (string)receipt["emergency"]!);
        Assert.EndsWith("/api/referrals/" + referralId, submitted.Headers.Location!.ToString());

        using var own = await api.GetReferralAsync(referralId, Teacher);
        var ownBody = await CaseApi.BodyAsync(own);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(["receipt"], ownBody.Select(property => property.Key));
        Assert.DoesNotContain(ReferrerWords, ownBody.ToJsonString());

        using var colleague = await api.GetReferralAsync(referralId, UnnamedTeacher);
        await CaseApi.ProblemAsync(colleague, ProblemCatalogue.NotFound); // the same school, not the submitter
        using var admin = await api.GetReferralAsync(referralId, "admin-kobayashi");
        await CaseApi.ProblemAsync(admin, ProblemCatalogue.Forbidden);

        var full = await api.ReferralAsync(referralId);
        Assert.StartsWith(ReferrerWords, (string)full["narrative"]!);
        Assert.Equal(School, (string)full["submitter"]!["agencyId"]!);
        Assert.Equal("online", (string)full["channel"]!);
        Assert.Equal("school", (string)full["route"]!);
        Assert.Equal("2025-06-18T00:30:00+09:00", (string)full["clock"]!["deadlineAt"]!); // received 00:30 JST on the 16th, plus 48 hours
        Assert.Equal(48 * 60, (int)full["clock"]!["minutesLeft"]!);
        Assert.Equal("requiring-protection", (string)full["caseDraft"]!["category"]!);
    }

    [Fact]
    public async Task AFormNeedsTheNameTypedIntoItAndSeesOnlyItsOwnReceipts()
    {
        await using var api = await CaseApi.StartAsync();
        var key = await api.KeyAsync(School);
        var otherKey = await api.KeyAsync(Nursery);

        using var unnamed = await api.SubmitReferralAsync(Referral(), person: null, key: key);
        await CaseApi.ValidationErrorsAsync(unnamed, ("$.submittedBy", "required"));
        var receipt = await api.ReceiptAsync(FormReferral(), person: null, key: key);
        var referralId = (string)receipt["referralId"]!;

        using var mine = await api.ListReferralsAsync("", person: null, key: key);
        var mineBody = await CaseApi.BodyAsync(mine);
        Assert.Equal([referralId], mineBody["receipts"]!.AsArray().Select(item => (string)item!["referralId"]!));
        using var others = await api.ListReferralsAsync("", person: null, key: otherKey);
        Assert.Empty((await CaseApi.BodyAsync(others))["receipts"]!.AsArray());
        using var read = await api.GetReferralAsync(referralId, person: null, key: otherKey);
        await CaseApi.ProblemAsync(read, ProblemCatalogue.NotFound);

        var full = await api.ReferralAsync(referralId);
        Assert.Equal("form", (string)full["submitter"]!["kind"]!);
        Assert.Equal(ReferrerName, (string)full["submitter"]!["submittedBy"]!["name"]!);
    }

    [Fact]
    public async Task ACoordinatorEnteringACallNamesTheChannelAndTheReferrerOrNothingIsStored()
    {
        await using var api = await CaseApi.StartAsync();

        using var bare = await api.SubmitReferralAsync(Referral(), CaseApi.Coordinator);
        await CaseApi.ValidationErrorsAsync(bare, ("$.referrer", "required"), ("$.intake", "required"));
        var named = PhoneReferral();
        named["referrer"]!["name"] = null;
        named["intake"]!["channel"] = "online";
        using var incomplete = await api.SubmitReferralAsync(named, CaseApi.Coordinator);
        await CaseApi.ValidationErrorsAsync(incomplete, ("$.referrer.name", "required"), ("$.intake.channel", "invalid-value"));
        var memberIntake = PhoneReferral();
        memberIntake.Remove("referrer");
        using var member = await api.SubmitReferralAsync(memberIntake, Teacher);
        await CaseApi.ValidationErrorsAsync(member, ("$.intake", "server-managed"));
        Assert.Empty(await api.OpenReferralsAsync());

        var referralId = await api.ReferralIdAsync(PhoneReferral(), CaseApi.Coordinator);
        var full = await api.ReferralAsync(referralId);
        Assert.Equal("phone", (string)full["channel"]!);
        Assert.Equal(ReferrerContact, (string)full["referrer"]!["contact"]!);
        Assert.Equal("森", (string)full["takenBy"]!);
    }

    [Fact]
    public async Task BadInputNamesEachFieldAndStoresNothing()
    {
        await using var api = await CaseApi.StartAsync();
        var body = new JsonObject
        {
            ["kind"] = "abuse-report",
            ["observedAt"] = "2025-06-16T10:00:00", // no offset
            ["narrative"] = new string('あ', 10_001),
            ["child"] = new JsonObject { ["approximateAge"] = 30 },
        };

        using var response = await api.SubmitReferralAsync(body, Teacher);
        await CaseApi.ValidationErrorsAsync(
            response,
            ("$.observedAt", "offset-required"),
            ("$.narrative", "too-long"),
            ("$.child", "child-unidentified"),
            ("$.child.approximateAge", "out-of-range"));
        var future = Referral();
        future["observedAt"] = "2025-06-17T10:00:00+09:00";
        using var ahead = await api.SubmitReferralAsync(future, Teacher);
        await CaseApi.ValidationErrorsAsync(ahead, ("$.observedAt", "future-date"));
        var anonymous = PhoneReferral();
        anonymous["referrer"] = new JsonObject { ["anonymous"] = true, ["name"] = "名乗った名前" };
        using var named = await api.SubmitReferralAsync(anonymous, CaseApi.Coordinator);
        await CaseApi.ValidationErrorsAsync(named, ("$.referrer.name", "invalid-value"));

        Assert.Empty(await api.OpenReferralsAsync());
        using var mine = await api.ListReferralsAsync("", Teacher);
        Assert.Empty((await CaseApi.BodyAsync(mine))["receipts"]!.AsArray());
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKeyReturnsTheFirstReceiptAndStoresOneReferral()
    {
        await using var api = await CaseApi.StartAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await api.SubmitReferralAsync(Referral(), Teacher, idempotencyKey: key);
        using var again = await api.SubmitReferralAsync(Referral(), Teacher, idempotencyKey: key);
        using var otherBody = await api.SubmitReferralAsync(Referral("care-consultation"), Teacher, idempotencyKey: key);
        using var otherPerson = await api.SubmitReferralAsync(Referral(), Nurse, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await CaseApi.ProblemAsync(otherBody, ProblemCatalogue.IdempotencyKeyReused);
        Assert.Equal(HttpStatusCode.Created, otherPerson.StatusCode); // keys are the caller's own
        Assert.Equal(2, (await api.OpenReferralsAsync()).Count);
    }

    [Fact]
    public async Task ACoordinatorFindsAReferralByItsReceiptNumberAsAPersonReadsItOut()
    {
        await using var api = await CaseApi.StartAsync();
        var receipt = await api.ReceiptAsync(Referral());
        var number = (string)receipt["receiptNumber"]!;

        using var spoken = await api.ListReferralsAsync("?receipt=" + number.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant());
        using var unknown = await api.ListReferralsAsync("?receipt=2222-2222");
        using var malformed = await api.ListReferralsAsync("?receipt=0OIL-1234");
        using var byMember = await api.ListReferralsAsync("?receipt=" + number, Teacher);
        using var noState = await api.ListReferralsAsync("");

        Assert.Equal([(string)receipt["referralId"]!], (await CaseApi.BodyAsync(spoken))["referrals"]!.AsArray().Select(item => (string)item!["referralId"]!));
        Assert.Empty((await CaseApi.BodyAsync(unknown))["referrals"]!.AsArray());
        await CaseApi.ValidationErrorsAsync(malformed, ("receipt", "invalid-value"));
        await CaseApi.ValidationErrorsAsync(byMember, ("$.receipt", "server-managed"));
        await CaseApi.ValidationErrorsAsync(noState, ("$.state", "required"));
    }

    [Fact]
    public async Task AMembersReceiptsComeInPagesOfAtMostAHundred()
    {
        await using var api = await CaseApi.StartAsync();
        var first = (string)(await api.ReceiptAsync(Referral()))["referralId"]!;
        api.Host.Clock!.Advance(TimeSpan.FromMinutes(1));
        var second = (string)(await api.ReceiptAsync(Referral()))["referralId"]!;

        using var tooBig = await api.ListReferralsAsync("?pageSize=101", Teacher);
        await CaseApi.ValidationErrorsAsync(tooBig, ("pageSize", "out-of-range"));
        using var page = await api.ListReferralsAsync("?pageSize=1", Teacher);
        var body = await CaseApi.BodyAsync(page);
        Assert.Equal([second], body["receipts"]!.AsArray().Select(item => (string)item!["referralId"]!)); // newest first
        using var next = await api.ListReferralsAsync("?pageSize=1&continuationToken=" + Uri.EscapeDataString((string)body["continuationToken"]!), Teacher);
        Assert.Equal([first], (await CaseApi.BodyAsync(next))["receipts"]!.AsArray().Select(item => (string)item!["referralId"]!));
        using var othersToken = await api.ListReferralsAsync("?continuationToken=" + Uri.EscapeDataString((string)body["continuationToken"]!), Nurse);
        await CaseApi.ValidationErrorsAsync(othersToken, ("$.continuationToken", "invalid-id"));
    }

    [Fact]
    public async Task AdminsAndAuditorsCannotSubmitOrList()
    {
        await using var api = await CaseApi.StartAsync();

        foreach (var person in new[] { "admin-kobayashi", "auditor-watanabe" })
        {
            using var submit = await api.SubmitReferralAsync(Referral(), person);
            await CaseApi.ProblemAsync(submit, ProblemCatalogue.Forbidden);
            using var list = await api.ListReferralsAsync(person: person);
            await CaseApi.ProblemAsync(list, ProblemCatalogue.Forbidden);
        }

        using var anonymous = await api.SubmitReferralAsync(Referral(), person: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty(await api.OpenReferralsAsync());
    }
}
