using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Identity.SubmissionKeys;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Entries;

/// <summary>
/// Report, comment and timeline requests over <see cref="CaseApi"/>. The demo case it makes is led by the
/// municipal division, with the school as key agency and the nursery and the health centre taking part; every
/// demo member of those agencies is named on it except <c>teacher-kimura</c>.
/// </summary>
internal static class EntryApi
{
    public const string Teacher = "teacher-tanaka";
    public const string UnnamedTeacher = "teacher-kimura";
    public const string NurseryHead = "nursery-yamada";
    public const string Nurse = "nurse-suzuki";
    public const string School = "minami-shogakko";
    public const string Nursery = "hikari-hoikuen";
    public const string HealthCentre = "midori-hoken-center";

    /// <summary>A time before <see cref="CaseApi.Now"/>, in Japan time (08:10 on 16 June 2025... minus a day).</summary>
    public const string ObservedAt = "2025-06-15T08:10:00+09:00";

    /// <summary>A case the school, the nursery and the health centre take part in, their demo staff named.</summary>
    public static async Task<string> SharedCaseAsync(this CaseApi api, Action<JsonObject>? arrange = null)
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = School;
        record["participants"] = new JsonArray(
            new JsonObject { ["agencyId"] = Nursery, ["from"] = "2025-04-01" },
            new JsonObject { ["agencyId"] = HealthCentre, ["from"] = "2025-04-01" });
        CaseApi.NameDemoStaff(record);
        arrange?.Invoke(record);
        return await api.CreateIdAsync(record);
    }

    /// <summary>A valid report body: an injury seen by the school this morning, for all participants.</summary>
    public static JsonObject Report(string narrative = "左腕に青あざ。本人は「転んだ」と話している。", string audience = "all-participants", params string[] agencyIds)
        => new()
        {
            ["observedAt"] = ObservedAt,
            ["kind"] = "injury",
            ["urgency"] = "urgent",
            ["narrative"] = narrative,
            ["scope"] = Scope(audience, agencyIds),
            ["injury"] = new JsonObject { ["bodyParts"] = new JsonArray("arms") },
        };

    public static JsonObject Scope(string audience, params string[] agencyIds)
    {
        var scope = new JsonObject { ["audience"] = audience };
        if (agencyIds.Length > 0)
        {
            scope["agencyIds"] = new JsonArray([.. agencyIds.Select(id => JsonValue.Create(id))]);
        }

        return scope;
    }

    /// <param name="person">A demo subject; null with <paramref name="key"/> to send as a form.</param>
    public static Task<HttpResponseMessage> SubmitReportAsync(this CaseApi api, string caseId, JsonNode body, string? person = CaseApi.Coordinator, string? key = null, string? idempotencyKey = null)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/reports", person, CaseApi.Json(body), request => Credentials(request, key, idempotencyKey));

    /// <summary>Submits a report that must be accepted, and returns its id.</summary>
    public static async Task<string> ReportIdAsync(this CaseApi api, string caseId, JsonNode body, string? person = CaseApi.Coordinator)
    {
        using var response = await api.SubmitReportAsync(caseId, body, person);
        var receipt = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, receipt.ToJsonString());
        return (string)receipt["entryId"]!;
    }

    public static Task<HttpResponseMessage> CommentAsync(this CaseApi api, string caseId, JsonNode body, string? person = CaseApi.Coordinator, string? key = null, string? idempotencyKey = null)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/comments", person, CaseApi.Json(body), request => Credentials(request, key, idempotencyKey));

    public static async Task<string> CommentIdAsync(this CaseApi api, string caseId, JsonNode body, string? person = CaseApi.Coordinator)
    {
        using var response = await api.CommentAsync(caseId, body, person);
        var receipt = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, receipt.ToJsonString());
        return (string)receipt["entryId"]!;
    }

    public static Task<HttpResponseMessage> TimelineAsync(this CaseApi api, string caseId, string query = "", string? person = CaseApi.Coordinator, string? key = null)
        => api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/timeline{query}", person, arrange: request => Credentials(request, key, null));

    /// <summary>The timeline's entries (one page, up to 100) as <paramref name="person"/> sees them.</summary>
    public static async Task<JsonArray> EntriesAsync(this CaseApi api, string caseId, string? person = CaseApi.Coordinator, string query = "?pageSize=100")
    {
        using var response = await api.TimelineAsync(caseId, query, person);
        var page = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, page.ToJsonString());
        return page["entries"]!.AsArray();
    }

    public static Task<HttpResponseMessage> GetReportAsync(this CaseApi api, string caseId, string reportId, string? person = CaseApi.Coordinator, string? key = null)
        => api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/reports/{reportId}", person, arrange: request => Credentials(request, key, null));

    public static Task<HttpResponseMessage> CorrectAsync(this CaseApi api, string caseId, string reportId, JsonNode report, string? reason = "日付の誤りを訂正", string? person = CaseApi.Coordinator, string? key = null)
    {
        var body = new JsonObject { ["report"] = report.DeepClone() };
        if (reason is not null)
        {
            body["reason"] = reason;
        }

        return api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/reports/{reportId}/corrections", person, CaseApi.Json(body), request => Credentials(request, key, null));
    }

    public static Task<HttpResponseMessage> RedactAsync(this CaseApi api, string caseId, string entryId, string? reason = "別の児童の記録を誤って登録したため", string? person = CaseApi.Coordinator)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/entries/{entryId}/redaction", person, CaseApi.Json(reason is null ? new JsonObject() : new JsonObject { ["reason"] = reason }));

    /// <summary>Issues a submission key for <paramref name="agencyId"/>'s form and returns its secret.</summary>
    public static async Task<string> KeyAsync(this CaseApi api, string agencyId)
    {
        var outcome = await api.Host.Get<SubmissionKeyService>().IssueAsync(agencyId, "通告フォーム " + Guid.NewGuid().ToString("N")[..6], null, [], [], DemoPeople.PersonId("admin-kobayashi"), CancellationToken.None);
        return Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>(outcome).Value.Key;
    }

    /// <summary>A report body as a form sends it: with the name and role typed into the form.</summary>
    public static JsonObject FormReport(string name = "南小学校 教頭 高橋", string narrative = "3日続けて欠席。保護者から連絡なし。")
        => new()
        {
            ["observedAt"] = ObservedAt,
            ["kind"] = "attendance",
            ["narrative"] = narrative,
            ["scope"] = Scope("all-participants"),
            ["absence"] = new JsonObject { ["from"] = "2025-06-11", ["to"] = "2025-06-13", ["schoolDaysAbsent"] = 3, ["reasonGiven"] = false },
            ["submittedBy"] = new JsonObject { ["name"] = name, ["role"] = "教頭" },
        };

    internal static void Credentials(HttpRequestMessage request, string? key, string? idempotencyKey)
    {
        if (key is not null)
        {
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", "SubmissionKey " + key);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
    }
}
