using System.Net;
using System.Text.Json.Nodes;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;

namespace Serverless.Tests.Referrals;

/// <summary>Referral requests over <see cref="CaseApi"/>, and bodies that carry a planted referrer identity.</summary>
internal static class ReferralApi
{
    /// <summary>What identifies the referrer in the bodies below: none of it may reach a non-coordinator.</summary>
    public const string ReferrerName = "高橋 一郎";
    public const string ReferrerContact = "090-1234-5678";
    public const string ReferrerWords = "担任の私が朝の会で見た";

    /// <summary>A member's referral: an abuse report in the referrer's own words.</summary>
    public static JsonObject Referral(string kind = "abuse-report", string narrative = ReferrerWords + "。左のほほに赤いあざがある。")
        => new()
        {
            ["kind"] = kind,
            ["observedAt"] = EntryApi.ObservedAt,
            ["narrative"] = narrative,
            ["child"] = new JsonObject
            {
                ["name"] = new JsonObject { ["family"] = "青木", ["given"] = "ひなた", ["familyKana"] = "アオキ", ["givenKana"] = "ヒナタ" },
                ["approximateAge"] = 8,
                ["schoolOrNursery"] = "南小学校",
                ["area"] = "緑町二丁目",
                ["guardians"] = new JsonArray(new JsonObject { ["name"] = new JsonObject { ["family"] = "青木", ["given"] = "正" }, ["relationship"] = "father" }),
            },
        };

    /// <summary>A call a coordinator enters (代理入力), with a named referrer who may be contacted.</summary>
    public static JsonObject PhoneReferral(string kind = "abuse-report")
    {
        var body = Referral(kind, "近所の子どもが夜に外で泣いている。");
        body["referrer"] = new JsonObject { ["name"] = ReferrerName, ["relation"] = "近隣住民", ["contact"] = ReferrerContact, ["mayContact"] = true };
        body["intake"] = new JsonObject { ["channel"] = "phone", ["takenBy"] = "森" };
        return body;
    }

    /// <summary>A form's referral: with the name typed into it.</summary>
    public static JsonObject FormReferral()
    {
        var body = Referral();
        body["submittedBy"] = new JsonObject { ["name"] = ReferrerName, ["role"] = "担任" };
        return body;
    }

    public static Task<HttpResponseMessage> SubmitReferralAsync(this CaseApi api, JsonNode body, string? person = EntryApi.Teacher, string? key = null, string? idempotencyKey = null)
        => api.SendAsync(HttpMethod.Post, "api/referrals", person, CaseApi.Json(body), request => EntryApi.Credentials(request, key, idempotencyKey));

    /// <summary>Submits a referral that must be accepted, and returns its receipt.</summary>
    public static async Task<JsonObject> ReceiptAsync(this CaseApi api, JsonNode body, string? person = EntryApi.Teacher, string? key = null)
    {
        using var response = await api.SubmitReferralAsync(body, person, key);
        var receipt = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, receipt.ToJsonString());
        return receipt;
    }

    public static async Task<string> ReferralIdAsync(this CaseApi api, JsonNode body, string? person = EntryApi.Teacher)
        => (string)(await api.ReceiptAsync(body, person))["referralId"]!;

    public static Task<HttpResponseMessage> GetReferralAsync(this CaseApi api, string referralId, string? person = CaseApi.Coordinator, string? key = null)
        => api.SendAsync(HttpMethod.Get, $"api/referrals/{referralId}", person, arrange: request => EntryApi.Credentials(request, key, null));

    /// <summary>The whole referral as a coordinator reads it.</summary>
    public static async Task<JsonObject> ReferralAsync(this CaseApi api, string referralId)
    {
        using var response = await api.GetReferralAsync(referralId);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["referral"]!.AsObject();
    }

    public static Task<HttpResponseMessage> ListReferralsAsync(this CaseApi api, string query = "?state=open", string? person = CaseApi.Coordinator, string? key = null)
        => api.SendAsync(HttpMethod.Get, "api/referrals" + query, person, arrange: request => EntryApi.Credentials(request, key, null));

    public static async Task<JsonArray> OpenReferralsAsync(this CaseApi api)
    {
        using var response = await api.ListReferralsAsync();
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["referrals"]!.AsArray();
    }

    public static Task<HttpResponseMessage> CountsAsync(this CaseApi api, string query, string? person = CaseApi.Coordinator, string? key = null)
        => api.SendAsync(HttpMethod.Get, "api/stats/referrals" + query, person, arrange: request => EntryApi.Credentials(request, key, null));

    /// <summary>The counts as a coordinator reads them.</summary>
    public static async Task<JsonObject> CountsOfAsync(this CaseApi api, string query)
    {
        using var response = await api.CountsAsync(query);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    /// <summary>A sighting by the school's teacher this morning, at school.</summary>
    public static JsonObject Sighting(string seenAt = "2025-06-16T00:10:00+09:00")
        => new()
        {
            ["seenAt"] = seenAt,
            ["seenBy"] = new JsonObject { ["agencyId"] = EntryApi.School, ["name"] = "田中 学" },
            ["method"] = "at-school",
            ["place"] = "南小学校 保健室",
            ["condition"] = "元気に登校。ほほのあざは薄くなっている。",
            ["injurySeen"] = true,
        };

    public static Task<HttpResponseMessage> ConfirmAsync(this CaseApi api, string referralId, JsonNode body, string? person = CaseApi.Coordinator)
        => api.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/safety-confirmations", person, CaseApi.Json(body));

    public static Task<HttpResponseMessage> DecideAsync(this CaseApi api, string referralId, JsonNode body, string? person = CaseApi.Coordinator, string? language = null)
        => api.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/decision", person, CaseApi.Json(body), request =>
        {
            if (language is not null)
            {
                request.Headers.AcceptLanguage.ParseAdd(language);
            }
        });

    public static JsonObject Decision(string outcome, string? summary = "8歳児。ほほにあざ。学校で見守り、家庭訪問を予定。")
    {
        var body = new JsonObject { ["outcome"] = outcome, ["meetingDate"] = "2025-06-15" };
        if (summary is not null)
        {
            body["summary"] = summary;
        }

        return body;
    }
}
