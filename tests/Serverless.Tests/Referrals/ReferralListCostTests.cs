using System.Net;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Referrals;

/// <summary>
/// The exact storage operations of the coordinators' open list (<c>GET /api/referrals?state=open</c>), as
/// <c>CaseStorageOperationTests</c> counts them, and the partition its query reads: a one-partition query and a
/// table scan have the same operation label, so the query's filter is asserted too.
/// </summary>
public sealed class ReferralListCostTests
{
    [Fact]
    public async Task TheOpenListIsOneQueryOfTheOpenPartitionAndCostsNoMoreWithThirtyClosedReferralsThanWithNone()
    {
        await using var api = await CaseApi.StartAsync();
        api.Host.Counter.KeepCalls = true;
        var p = api.Host.Prefix;
        var open = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            open.Add(await api.ReferralIdAsync(Referral()));
        }

        var (noneClosed, noneClosedFilters) = await MeasureAsync(api, open);
        await CloseAsync(api, 30);
        var (thirtyClosed, thirtyClosedFilters) = await MeasureAsync(api, open);

        var expected = new Dictionary<string, long>
        {
            [$"table GET {p}People()"] = 1, // sign-in: the person's profile and memberships
            [$"table POST {p}AuditLog"] = 2, // the audit's intent and outcome
            [$"table GET {p}Referrals()"] = 1, // the open partition: its pointers carry all the list shows, no referral is read
        };
        Assert.Equal(expected, noneClosed);
        Assert.Equal(expected, thirtyClosed);
        Assert.Equal(["PartitionKey eq 'open'"], noneClosedFilters);
        Assert.Equal(["PartitionKey eq 'open'"], thirtyClosedFilters);
    }

    /// <summary>
    /// Receives <paramref name="count"/> referrals and closes each: half are 養護相談 decided with no further action (no
    /// clock), half 虐待通告 decided once a sighting stopped their clock (a decision alone leaves an abuse report open).
    /// </summary>
    private static async Task CloseAsync(CaseApi api, int count)
    {
        for (var n = 0; n < count; n++)
        {
            var consultation = n % 2 == 0;
            var referralId = await api.ReferralIdAsync(Referral(consultation ? "care-consultation" : "abuse-report"));
            if (!consultation)
            {
                using var seen = await api.ConfirmAsync(referralId, Sighting());
                Assert.Equal(HttpStatusCode.Created, seen.StatusCode);
            }

            var decision = Decision("no-further-action", summary: null);
            decision["reason"] = "受理会議で助言のみと判断";
            using var decided = await api.DecideAsync(referralId, decision);
            Assert.True(decided.StatusCode == HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Lists the open referrals as a coordinator (they must be exactly <paramref name="open"/>) and returns what
    /// the request did to storage, and the filter of each query of the Referrals table.</summary>
    private static async Task<(IReadOnlyDictionary<string, long> Operations, IReadOnlyList<string?> Filters)> MeasureAsync(CaseApi api, IReadOnlyList<string> open)
    {
        var referrals = $"table GET {api.Host.Prefix}Referrals()";
        var before = api.Host.Counter.For("ListReferrals");
        var callsBefore = api.Host.Counter.CallsOf("ListReferrals").Count;

        var listed = await api.OpenReferralsAsync();

        Assert.Equal(open.Order(StringComparer.Ordinal), listed.Select(item => (string)item!["referralId"]!).Order(StringComparer.Ordinal));
        var calls = api.Host.Counter.CallsOf("ListReferrals").Skip(callsBefore);
        return (
            StorageOperationCounter.Difference(before, api.Host.Counter.For("ListReferrals")),
            [.. calls.Where(call => call.Operation == referrals).Select(call => call.Filter)]);
    }
}
