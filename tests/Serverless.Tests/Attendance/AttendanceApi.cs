using System.Net;
using System.Text.Json.Nodes;
using Serverless.Identity.SubmissionKeys;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Attendance;

/// <summary>
/// A case whose child attends the school (minami-shogakko, the key agency), put on the school's attendance list by the
/// coordinator with teacher-tanaka named for the list, and the school's form key. The clock stands at 2025-06-16 in Japan.
/// </summary>
internal sealed class AttendanceApi : IAsyncDisposable
{
    public const string School = "minami-shogakko";
    public const string Staff = "teacher-tanaka";
    public const string Unnamed = "teacher-kimura";

    private AttendanceApi(CaseApi api) => Api = api;

    public CaseApi Api { get; }

    public string CaseId { get; private set; } = "";

    public string EntryId { get; private set; } = "";

    public string Key { get; private set; } = "";

    public string FamilyName { get; private set; } = "";

    public static async Task<AttendanceApi> StartAsync()
    {
        var world = new AttendanceApi(await CaseApi.StartAsync());
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = School;
        CaseApi.NameDemoStaff(record);
        world.FamilyName = (string)record["child"]!["name"]!["family"]!;
        world.CaseId = await world.Api.CreateIdAsync(record);
        using var staff = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance-list/staff", CaseApi.Coordinator, new JsonObject { ["personIds"] = new JsonArray(Serverless.DevHost.DemoPeople.PersonId(Staff)) });
        Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        using var listed = await world.SendAsync(HttpMethod.Post, $"api/cases/{world.CaseId}/attendance-listing", CaseApi.Coordinator, new JsonObject { ["agencyId"] = School });
        var body = await CaseApi.BodyAsync(listed);
        Assert.True(listed.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        world.EntryId = (string)body["entryId"]!;
        var issued = await world.Api.Host.Get<SubmissionKeyService>().IssueAsync(School, "南小学校 出欠フォーム", null, [], [], Serverless.DevHost.DemoPeople.PersonId("admin-kobayashi"), CancellationToken.None);
        world.Key = Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>(issued).Value.Key;
        return world;
    }

    /// <summary>As a demo person, or (person null) with the school's submission key.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? person, JsonNode? body = null)
        => Api.SendAsync(method, path, person, body is null ? null : CaseApi.Json(body), request =>
        {
            if (person is null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "SubmissionKey " + Key);
            }
        });

    public static JsonObject Row(string entryId, params string[] absentDates)
        => new()
        {
            ["entryId"] = entryId,
            ["attendedDays"] = 20 - absentDates.Length,
            ["absentWithReason"] = absentDates.Length,
            ["absentWithoutReason"] = 0,
            ["longestAbsenceRun"] = Math.Min(absentDates.Length, 5),
            ["absentDates"] = new JsonArray([.. absentDates.Select(date => (JsonNode)JsonValue.Create(date)!)]),
            ["notes"] = "保護者から体調不良と連絡あり",
        };

    public async Task<JsonObject> SubmitMonthAsync(string month, params JsonObject[] rows)
    {
        using var response = await SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance/{month}", null, new JsonObject { ["rows"] = new JsonArray(rows) });
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    public async Task<JsonObject> NoticeAsync(bool reasonGiven, params string[] dates)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/agencies/{School}/attendance/absences", null, new JsonObject
        {
            ["entryId"] = EntryId,
            ["dates"] = new JsonArray([.. dates.Select(date => (JsonNode)JsonValue.Create(date)!)]),
            ["reasonGiven"] = reasonGiven,
        });
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    /// <summary>The 7-day alerts on the case's timeline, as the coordinator reads it.</summary>
    public async Task<List<JsonNode>> AlertsAsync()
    {
        using var response = await Api.SendAsync(HttpMethod.Get, $"api/cases/{CaseId}/timeline?pageSize=100", CaseApi.Coordinator);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return [.. body["entries"]!.AsArray().Where(entry => (string)entry!["type"]! == "attendance-alert").Select(entry => entry!)];
    }

    public async ValueTask DisposeAsync() => await Api.DisposeAsync();
}
