using System.Net;
using System.Text.Json.Nodes;
using Serverless.Referrals;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Privacy;

/// <summary>A referral carries the most personal data of all (the child, the guardians, the referrer, their words); none of
/// it may reach logs, table keys, queue messages or blobs, whichever endpoint and whichever refusal it passes through.</summary>
public sealed class ReferralCanaryTests
{
    [Fact]
    public async Task PersonalDataThroughEveryReferralEndpointReachesNoLogKeyQueueOrBlob()
    {
        await using var api = await CaseApi.StartAsync(backgroundTriggers: true);
        var canary = new PersonalDataCanary();
        var body = PhoneReferral();
        body["narrative"] = canary.ReportText;
        body["child"]!["name"] = new JsonObject { ["family"] = canary.FamilyName, ["given"] = canary.GivenName, ["familyKana"] = canary.KanaName };
        body["child"]!["address"] = canary.Address;
        body["referrer"]!["name"] = canary.GivenName;
        body["referrer"]!["contact"] = canary.Address;

        using var submitted = await api.SubmitReferralAsync(body, CaseApi.Coordinator, idempotencyKey: canary.Marker);
        using var replayed = await api.SubmitReferralAsync(body, CaseApi.Coordinator, idempotencyKey: canary.Marker);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        var referralId = (string)(await CaseApi.BodyAsync(submitted))["referralId"]!;
        var bad = Referral();
        bad["child"] = new JsonObject { ["name"] = new JsonObject { ["family"] = canary.FamilyName }, ["approximateAge"] = 99 };
        using (var refused = await api.SubmitReferralAsync(bad))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        var sighting = Sighting();
        sighting["condition"] = canary.ReportText;
        sighting["place"] = canary.Address;
        using (var confirmed = await api.ConfirmAsync(referralId, sighting))
        {
            Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
        }

        api.Host.Clock!.Advance(TimeSpan.FromHours(49));
        await api.Host.Get<ReferralEscalations>().RunAsync(CancellationToken.None);
        var decision = Decision("new-case", summary: canary.ReportText);
        using (var decided = await api.DecideAsync(referralId, decision))
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        using (var counted = await api.CountsAsync("?fiscalYear=2025"))
        {
            Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        }

        Assert.Contains(canary.Marker, (await api.ReferralAsync(referralId)).ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(await canary.FindLeaksAsync(api.Host));
    }
}
