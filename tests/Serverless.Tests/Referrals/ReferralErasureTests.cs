using Azure.Data.Tables;
using Serverless.Cases.Disposal;
using Serverless.Notifications;
using Serverless.Referrals;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Referrals;

/// <summary>A referral that became part of a case goes with the case: its rows, its pointers, its escalations in inboxes.</summary>
public sealed class ReferralErasureTests
{
    [Fact]
    public async Task ErasingACaseErasesEveryRowOfItsReferralItsMonthsPointerIncludedAndNothingOfAnother()
    {
        await using var api = await CaseApi.StartAsync();
        using var submitted = await api.SubmitReferralAsync(Referral(), idempotencyKey: Guid.NewGuid().ToString());
        var referralId = (string)(await CaseApi.BodyAsync(submitted))["referralId"]!;
        var other = await api.ReferralIdAsync(Referral());
        api.Host.Clock!.Advance(TimeSpan.FromHours(49));
        await api.Host.Get<ReferralEscalations>().RunAsync(CancellationToken.None); // both overdue: inboxes name them
        using var seen = await api.ConfirmAsync(referralId, Sighting());
        using var decided = await api.DecideAsync(referralId, Decision("new-case"));
        var caseId = (string)(await CaseApi.BodyAsync(decided))["decision"]!["caseId"]!;
        Assert.Contains("m-2025-06/" + referralId, await RowsAsync(api, ReferralStore.TableName, referralId)); // the month's pointer, for the counts
        Assert.NotEmpty(await RowsAsync(api, NotificationInbox.TableName, referralId));

        var plan = await api.Host.Get<CaseEraser>().PlanAsync(caseId, CancellationToken.None);
        var erased = await api.Host.Get<CaseEraser>().EraseAsync(caseId, CancellationToken.None);

        Assert.Equal(plan.Single(count => count.Store == "referral:" + ReferralStore.TableName).Count, erased.Single(count => count.Store == "referral:" + ReferralStore.TableName).Count);
        Assert.Empty(await RowsAsync(api, ReferralStore.TableName, referralId));
        Assert.Empty(await RowsAsync(api, NotificationInbox.TableName, referralId));
        Assert.Empty(await PartitionAsync(api, referralId)); // the idempotency record too
        Assert.Contains("m-2025-06/" + other, await RowsAsync(api, ReferralStore.TableName, other));
        Assert.Equal(1, (int)(await api.CountsOfAsync("?fiscalYear=2025"))["received"]!); // the erased referral is no longer counted
        Assert.NotEmpty(await RowsAsync(api, NotificationInbox.TableName, other));
        using var gone = await api.GetReferralAsync(referralId);
        await CaseApi.ProblemAsync(gone, Serverless.Problems.ProblemCatalogue.NotFound);
    }

    private static async Task<List<string>> PartitionAsync(CaseApi api, string referralId)
    {
        var client = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(ReferralStore.TableName));
        var rows = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {referralId}")))
        {
            rows.Add(row.RowKey);
        }

        return rows;
    }

    private static async Task<List<string>> RowsAsync(CaseApi api, string table, string referralId)
    {
        var client = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(table));
        var rows = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"ReferralId eq {referralId}")))
        {
            rows.Add(row.PartitionKey + "/" + row.RowKey);
        }

        return rows;
    }
}
