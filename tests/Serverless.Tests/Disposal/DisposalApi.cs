using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Cases.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using Serverless.Time;

namespace Serverless.Tests.Disposal;

/// <summary>Disposal and legal-hold requests over <see cref="CaseApi"/>, and a case closed long enough ago to dispose of.</summary>
internal static class DisposalApi
{
    public const string Proposer = "coordinator-sato";
    public const string Approver = "coordinator-mori";

    /// <summary>Closed at a council meeting on 2019-03-01: more than five years before <see cref="CaseApi.Now"/>.</summary>
    public const string OldClosure = "2019-03-01";

    /// <summary>Creates a case (the school as key agency, its demo staff named) and closes it on <paramref name="decidedOn"/>;
    /// unless <paramref name="agedAsDecided"/> is false, the stored version that closed it is then aged to that day (see
    /// <see cref="AgeClosingVersionAsync"/>), as if the app had recorded the closure then.</summary>
    public static async Task<string> ClosedCaseAsync(this CaseApi api, string decidedOn = OldClosure, bool agedAsDecided = true)
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        var caseId = await api.CreateIdAsync(CaseApi.NameDemoStaff(record));
        using var closed = await api.PatchAsync(caseId, "\"v1\"", "実務者会議で終結", new JsonObject
        {
            ["status"] = "closed",
            ["closure"] = new JsonObject
            {
                ["outcome"] = "improved",
                ["reason"] = "家庭環境が改善し、見守りの必要がなくなった。",
                ["decidedOn"] = decidedOn,
                ["meeting"] = "第3回実務者会議",
            },
        });
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        if (agedAsDecided)
        {
            await AgeClosingVersionAsync(api.Host, caseId, DateOnly.Parse(decidedOn, System.Globalization.CultureInfo.InvariantCulture));
        }

        return caseId;
    }

    /// <summary>
    /// The retention clock runs from when the app saved the version that closed the case, and the fake clock cannot go
    /// back: a case "closed years ago" is one closed now whose versions are then re-dated in storage to 09:00 on
    /// <paramref name="closedOn"/> in Japan (every version, so the history stays in order).
    /// </summary>
    public static async Task AgeClosingVersionAsync(TestHost host, string caseId, DateOnly closedOn)
    {
        var table = host.Get<CaseStore>().Table;
        var at = JapanTime.StartOfDay(closedOn).AddHours(9);
        await foreach (var row in table.QueryAsync<CaseEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {"v"} and RowKey lt {"w"}")))
        {
            row.ChangedAt = at;
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        }
    }

    public static Task<HttpResponseMessage> ProposeAsync(this CaseApi api, string caseId, string person = Proposer, string? reason = "保存期間（5年）満了のため", string? rule = "みどり市文書管理規程第12条")
    {
        var body = new JsonObject();
        if (reason is not null)
        {
            body["reason"] = reason;
        }

        if (rule is not null)
        {
            body["ruleReference"] = rule;
        }

        return api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/disposal", person, CaseApi.Json(body));
    }

    public static Task<HttpResponseMessage> ApproveAsync(this CaseApi api, string caseId, string person = Approver)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/disposal/approve", person);

    public static Task<HttpResponseMessage> WithdrawAsync(this CaseApi api, string caseId, string person = Proposer)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/disposal/withdraw", person);

    public static Task<HttpResponseMessage> HoldAsync(this CaseApi api, string caseId, string person = Approver)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/legal-hold", person, CaseApi.Json(new JsonObject { ["reason"] = "情報公開請求への対応中" }));

    public static Task<HttpResponseMessage> ReleaseAsync(this CaseApi api, string caseId, string person = Approver)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/legal-hold/release", person, CaseApi.Json(new JsonObject { ["reason"] = "請求への対応が終了" }));

    /// <summary>A different coordinator confirms the release proposed by <see cref="ReleaseAsync"/>.</summary>
    public static Task<HttpResponseMessage> ConfirmReleaseAsync(this CaseApi api, string caseId, string person = Proposer)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/legal-hold/release/confirm", person);

    /// <summary>Proposes the release (as <see cref="Approver"/>) and confirms it (as <see cref="Proposer"/>); asserts both succeeded.</summary>
    public static async Task ReleasedAsync(this CaseApi api, string caseId)
    {
        using var proposed = await api.ReleaseAsync(caseId);
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync());
        using var confirmed = await api.ConfirmReleaseAsync(caseId);
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
    }

    /// <summary>Proposes and approves; asserts both succeeded.</summary>
    public static async Task ApprovedAsync(this CaseApi api, string caseId)
    {
        using var proposed = await api.ProposeAsync(caseId);
        Assert.True(proposed.StatusCode == HttpStatusCode.Created, await proposed.Content.ReadAsStringAsync());
        using var approved = await api.ApproveAsync(caseId);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
    }
}
