using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Cases.Disposal;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Referrals;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Disposal;
using Serverless.Tests.Entries;
using static Serverless.Tests.Referrals.ReferralApi;

namespace Serverless.Tests.Referrals;

/// <summary>
/// A referral closed with no further action has no case to be disposed of with: once its retention is over
/// (<c>Referrals:RetentionYears</c>, 5 by default, from the decision day in Japan), two coordinators dispose of it as
/// of a case, and the app's run erases every row of it, registers it, and a restore re-applies the register.
/// </summary>
public sealed class ReferralDisposalTests
{
    /// <summary>Decided at <see cref="CaseApi.Now"/>: 2025-06-16 00:30 in Japan, so kept until 2030-06-16.</summary>
    private static readonly DateTimeOffset RetentionOver = new(2030, 6, 16, 0, 0, 0, TimeSpan.FromHours(9));

    [Fact]
    public async Task TwoCoordinatorsDisposeOfAReferralClosedWithNoFurtherActionOnceItsRetentionIsOver()
    {
        await using var api = await CaseApi.StartAsync();
        var referralId = await ClosedWithNoFurtherActionAsync(api, idempotencyKey: Guid.NewGuid().ToString());
        var other = await ClosedWithNoFurtherActionAsync(api);
        api.Host.Clock!.SetUtcNow(RetentionOver - TimeSpan.FromMinutes(1));

        var early = await CaseApi.ProblemAsync(await ProposeAsync(api, referralId), ProblemCatalogue.ReferralNotDisposable);
        Assert.Equal("この通告は保存期限（2030-06-16）まで廃棄できません。", (string?)early["detail"]);
        Assert.Null(await api.Host.Get<Disposals>().FindAsync(referralId, CancellationToken.None));

        api.Host.Clock.SetUtcNow(RetentionOver);
        using var proposed = await ProposeAsync(api, referralId);
        var proposal = await CaseApi.BodyAsync(proposed);
        Assert.True(proposed.StatusCode == HttpStatusCode.Created, proposal.ToJsonString());
        Assert.Equal((referralId, "proposed", DemoPeople.PersonId(DisposalApi.Proposer)), ((string?)proposal["referralId"], (string?)proposal["state"], (string?)proposal["proposedBy"]));
        await CaseApi.ProblemAsync(await ApproveAsync(api, referralId, DisposalApi.Proposer), ProblemCatalogue.Forbidden); // two people
        using var approved = await ApproveAsync(api, referralId, DisposalApi.Approver);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var plan = await api.Host.Get<CaseEraser>().PlanAsync(referralId, CancellationToken.None);
        Assert.Equal(await RowCountAsync(api, referralId), plan.Sum(count => count.Count));

        api.Host.Clock.Advance(TimeSpan.FromDays(1)); // Disposal:ExecutionDelay
        await RunQueuedAsync(api, referralId);

        Assert.Equal(0, await RowCountAsync(api, referralId));
        Assert.All(await api.Host.Get<CaseEraser>().PlanAsync(referralId, CancellationToken.None), count => Assert.Equal(0, count.Count));
        await CaseApi.ProblemAsync(await api.GetReferralAsync(referralId), ProblemCatalogue.NotFound);
        Assert.NotEqual(0, await RowCountAsync(api, other));
        var disposal = (await api.Host.Get<Disposals>().FindAsync(referralId, CancellationToken.None))!.Value.Disposal;
        Assert.Equal(DisposalState.Disposed, disposal.State);
        var register = Assert.Single(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None));
        Assert.Equal(new DisposalRegisterEntry(referralId, disposal.DisposedAt!.Value, DemoPeople.PersonId(DisposalApi.Proposer), DemoPeople.PersonId(DisposalApi.Approver), "みどり市文書管理規程第12条"), register);
        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByActorAsync(DisposalRunner.AppActorId, RetentionOver, RetentionOver.AddDays(2), 100, null, CancellationToken.None)).Page.Entries;
        var run = Assert.Single(audit, entry => entry.Action == AuditActions.OpsDisposalRun && entry.Outcome == nameof(AuditOutcome.Succeeded));
        Assert.Null(run.CaseId); // recorded as the referral endpoints record a referral: an entry touched, not a case
        Assert.Equal([referralId], run.EntriesTouched!);
    }

    [Fact]
    public async Task OnlyAReferralClosedWithNoFurtherActionIsDisposedOfOnItsOwn()
    {
        await using var api = await CaseApi.StartAsync();
        var undecided = await api.ReferralIdAsync(Referral("care-consultation"));
        var intoACase = await api.ReferralIdAsync(Referral("care-consultation"));
        using (var decided = await api.DecideAsync(intoACase, Decision("new-case")))
        {
            Assert.True(decided.StatusCode == HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        }

        api.Host.Clock!.SetUtcNow(RetentionOver.AddYears(10));

        foreach (var referralId in new[] { undecided, intoACase })
        {
            var problem = await CaseApi.ProblemAsync(await ProposeAsync(api, referralId), ProblemCatalogue.ReferralNotDisposable);
            Assert.Equal("単独で廃棄できるのは「これ以上の対応なし」で終えた通告だけです。ケースになった通告はケースと一緒に廃棄されます。", (string?)problem["detail"]);
        }

        Assert.Empty(await api.Host.Get<Disposals>().InStateAsync(DisposalState.Proposed, CancellationToken.None));
    }

    [Fact]
    public async Task ItsSubmitterAndOtherMembersGetNotFoundAndAnAdminIsForbidden()
    {
        await using var api = await CaseApi.StartAsync();
        var referralId = await ClosedWithNoFurtherActionAsync(api);
        api.Host.Clock!.SetUtcNow(RetentionOver);

        foreach (var person in new[] { EntryApi.Teacher, EntryApi.NurseryHead })
        {
            await CaseApi.ProblemAsync(await ProposeAsync(api, referralId, person), ProblemCatalogue.NotFound);
            await CaseApi.ProblemAsync(await ApproveAsync(api, referralId, person), ProblemCatalogue.NotFound);
            await CaseApi.ProblemAsync(await api.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/disposal/withdraw", person), ProblemCatalogue.NotFound);
        }

        await CaseApi.ProblemAsync(await ProposeAsync(api, referralId, "admin-kobayashi"), ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(await ProposeAsync(api, "f" + new string('a', 26)), ProblemCatalogue.NotFound);
        Assert.Null(await api.Host.Get<Disposals>().FindAsync(referralId, CancellationToken.None));
    }

    [Fact]
    public async Task AWithdrawnDisposalIsNotRunAndTheReferralStays()
    {
        await using var api = await CaseApi.StartAsync();
        var referralId = await ClosedWithNoFurtherActionAsync(api);
        api.Host.Clock!.SetUtcNow(RetentionOver);
        (await ProposeAsync(api, referralId)).Dispose();
        (await ApproveAsync(api, referralId, DisposalApi.Approver)).Dispose();
        var rows = await RowCountAsync(api, referralId);

        using var withdrawn = await api.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/disposal/withdraw", "coordinator-mori");
        Assert.Equal("withdrawn", (string?)(await CaseApi.BodyAsync(withdrawn))["state"]);
        api.Host.Clock.Advance(TimeSpan.FromDays(1));
        await RunQueuedAsync(api, referralId);

        Assert.Equal(rows, await RowCountAsync(api, referralId));
        Assert.Empty(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ARestoredCopyOfADisposedReferralIsErasedAgainFromTheRegister()
    {
        await using var api = await CaseApi.StartAsync();
        var referralId = await ClosedWithNoFurtherActionAsync(api);
        api.Host.Clock!.SetUtcNow(RetentionOver);
        (await ProposeAsync(api, referralId)).Dispose();
        (await ApproveAsync(api, referralId, DisposalApi.Approver)).Dispose();
        api.Host.Clock.Advance(TimeSpan.FromDays(1));
        await RunQueuedAsync(api, referralId);
        // As if a backup taken before the disposal had been restored.
        var table = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(ReferralStore.TableName));
        await table.AddEntityAsync(new TableEntity(referralId, ReferralEntity.HeadRow) { ["ReferralId"] = referralId });
        await table.AddEntityAsync(new TableEntity("open", "x-" + referralId) { ["ReferralId"] = referralId });

        var reapplied = await api.Host.Get<DisposalRunner>().ReapplyAsync(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None), CancellationToken.None);

        Assert.Equal(1, reapplied);
        Assert.Equal(0, await RowCountAsync(api, referralId));
    }

    private static async Task<string> ClosedWithNoFurtherActionAsync(CaseApi api, string? idempotencyKey = null)
    {
        using var submitted = await api.SubmitReferralAsync(Referral("care-consultation"), idempotencyKey: idempotencyKey);
        var referralId = (string)(await CaseApi.BodyAsync(submitted))["referralId"]!;
        var decision = Decision("no-further-action", summary: null);
        decision["reason"] = "家庭訪問で養育環境に問題がないことを確認した。";
        using var decided = await api.DecideAsync(referralId, decision);
        Assert.True(decided.StatusCode == HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        return referralId;
    }

    private static Task<HttpResponseMessage> ProposeAsync(CaseApi api, string referralId, string person = DisposalApi.Proposer)
        => api.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/disposal", person, CaseApi.Json(new JsonObject
        {
            ["reason"] = "保存期間（5年）満了のため",
            ["ruleReference"] = "みどり市文書管理規程第12条",
        }));

    private static Task<HttpResponseMessage> ApproveAsync(CaseApi api, string referralId, string person)
        => api.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/disposal/approve", person);

    /// <summary>What the app's DisposalRun function does with the message the approval sent.</summary>
    private static Task RunQueuedAsync(CaseApi api, string referralId)
        => api.Host.Get<DisposalRunner>().RunQueuedAsync($$"""{"schemaVersion":1,"caseId":"{{referralId}}"}""", CancellationToken.None);

    /// <summary>Every row that names the referral: its partition, its pointers, inbox rows.</summary>
    private static async Task<int> RowCountAsync(CaseApi api, string referralId)
    {
        var count = 0;
        foreach (var table in new[] { ReferralStore.TableName, Serverless.Notifications.NotificationInbox.TableName })
        {
            var client = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(table));
            try
            {
                await foreach (var _ in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {referralId} or ReferralId eq {referralId}")))
                {
                    count++;
                }
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                // no such table yet
            }
        }

        return count;
    }
}
