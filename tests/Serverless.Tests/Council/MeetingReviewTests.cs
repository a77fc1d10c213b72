using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Cases.Disposal;
using Serverless.Cases.Storage;
using Serverless.Council.Tasks;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Council;

/// <summary><c>POST /api/meetings</c> and <c>POST /api/meetings/{meetingId}/reviews</c>: a review is one version of the case,
/// the meeting its reason, with a review entry on the timeline and its tasks saved in the same batch.</summary>
public sealed class MeetingReviewTests
{
    [Fact]
    public async Task AReviewChangesTheCaseOnceWithTheMeetingAsReasonAndLeavesAnEntryAndTasks()
    {
        await using var api = await CaseApi.StartAsync();
        var meetingId = await MeetingAsync(api, "practitioners", "第3回実務者会議");
        var caseId = await LedgerTests.CreateAsync(api, "accepted", null);

        using var reviewed = await ReviewAsync(api, meetingId, "\"v1\"", new JsonObject
        {
            ["caseId"] = caseId,
            ["status"] = "registered",
            ["riskLevel"] = "high",
            ["urgency"] = "within-a-week",
            ["supportPolicy"] = "学校で毎日見守り、保健師が月1回家庭訪問する",
            ["keyPerson"] = "母方祖母",
            ["tasks"] = new JsonArray(new JsonObject { ["title"] = "出欠の確認と報告", ["ownerAgencyId"] = "minami-shogakko", ["dueDate"] = "2025-06-30" }),
        });
        var body = await CaseApi.BodyAsync(reviewed);
        Assert.True(reviewed.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        Assert.Equal("\"v2\"", CaseApi.ETag(reviewed));
        var record = body["case"]!["record"]!;
        Assert.Equal(("registered", "high", "within-a-week", "2025-09-16", meetingId, "practitioners", "2025-06-16"),
            ((string?)record["status"], (string?)record["riskLevel"], (string?)record["urgency"], (string?)record["nextReviewDate"], (string?)record["lastReview"]!["meetingId"], (string?)record["lastReview"]!["meetingKind"], (string?)record["lastReview"]!["date"]));
        var taskId = (string)body["tasks"]![0]!["taskId"]!;

        using var history = await api.HistoryAsync(caseId);
        var newest = (await CaseApi.BodyAsync(history))["versions"]![0]!;
        Assert.Equal(2, (int)newest["version"]!);
        Assert.StartsWith("第3回実務者会議", (string)newest["reason"]!, StringComparison.Ordinal);

        using var timeline = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/timeline", "teacher-tanaka");
        var review = Assert.Single((await CaseApi.BodyAsync(timeline))["entries"]!.AsArray(), entry => (string?)entry!["type"] == "review")!["review"]!;
        Assert.Equal(("学校で毎日見守り、保健師が月1回家庭訪問する", "母方祖母", 2, taskId), ((string?)review["supportPolicy"], (string?)review["keyPerson"], (int)review["version"]!, (string?)review["taskIds"]![0]));

        var ledger = await LedgerTests.LedgerAsync(api, "");
        Assert.Equal(meetingId, (string?)ledger["cases"]![0]!["lastReview"]!["meetingId"]);

        using var nursery = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/tasks/{taskId}/done", "nursery-yamada");
        await CaseApi.ProblemAsync(nursery, ProblemCatalogue.NotFound);
        using var done = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/tasks/{taskId}/done", "teacher-tanaka");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        using var tasks = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/tasks", "teacher-tanaka");
        var task = Assert.Single((await CaseApi.BodyAsync(tasks))["tasks"]!.AsArray())!;
        Assert.Equal((taskId, DemoPeople.PersonId("teacher-tanaka"), false), ((string?)task["taskId"], (string?)task["doneBy"], (bool)task["overdue"]!));
    }

    [Fact]
    public async Task ARepresentativesMeetingNeedsItsMinutesAndReviewsNoCase()
    {
        await using var api = await CaseApi.StartAsync();
        using var noMinutes = await api.SendAsync(HttpMethod.Post, "api/meetings", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["kind"] = "representatives", ["date"] = "2025-06-16" }));
        await CaseApi.ValidationErrorsAsync(noMinutes, ("$.minutes", "required"));
        var meetingId = await MeetingAsync(api, "representatives", null, minutes: "年間の活動報告を承認した");
        var caseId = await LedgerTests.CreateAsync(api, "registered", null);

        using var refused = await ReviewAsync(api, meetingId, "\"v1\"", new JsonObject { ["caseId"] = caseId, ["status"] = "registered", ["supportPolicy"] = "継続" });
        await CaseApi.ProblemAsync(refused, ProblemCatalogue.MeetingReviewsNoCase);
        using var member = await api.SendAsync(HttpMethod.Post, "api/meetings", "teacher-tanaka", CaseApi.Json(new JsonObject { ["kind"] = "practitioners", ["date"] = "2025-06-16" }));
        await CaseApi.ProblemAsync(member, ProblemCatalogue.Forbidden);
    }

    [Fact]
    public async Task AReviewIsRefusedOnAStaleVersionTwiceByOneMeetingForABarredCoordinatorAndWithBadFields()
    {
        await using var api = await CaseApi.StartAsync();
        var meetingId = await MeetingAsync(api, "case-conference", null);
        var record = CaseApi.NameDemoStaff(LedgerTests.Record("accepted", null, "minami-shogakko", null));
        record["barredPersonIds"] = new JsonArray(DemoPeople.PersonId("coordinator-mori"));
        var caseId = await api.CreateIdAsync(record);
        var valid = new JsonObject { ["caseId"] = caseId, ["status"] = "registered", ["supportPolicy"] = "見守りを続ける" };

        using (var barred = await ReviewAsync(api, meetingId, "\"v1\"", valid, "coordinator-mori"))
        {
            await CaseApi.ProblemAsync(barred, ProblemCatalogue.NotFound);
        }

        using (var stale = await ReviewAsync(api, meetingId, "\"v9\"", valid))
        {
            await CaseApi.ProblemAsync(stale, ProblemCatalogue.PreconditionFailed);
        }

        var bad = new JsonObject
        {
            ["caseId"] = caseId,
            ["status"] = "registered",
            ["nextReviewDate"] = "2025-06-01",
            ["tasks"] = new JsonArray(new JsonObject { ["title"] = "家庭訪問", ["dueDate"] = "2025-07-01" }),
        };
        using (var invalid = await ReviewAsync(api, meetingId, "\"v1\"", bad))
        {
            await CaseApi.ValidationErrorsAsync(invalid, ("$.supportPolicy", "required"), ("$.nextReviewDate", "date-order"), ("$.tasks[0].ownerAgencyId", "required"));
        }

        using (var first = await ReviewAsync(api, meetingId, "\"v1\"", valid))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var again = await ReviewAsync(api, meetingId, "\"v2\"", valid);
        await CaseApi.ProblemAsync(again, ProblemCatalogue.CaseAlreadyReviewed);
    }

    [Fact]
    public async Task ReviewsTasksAndTheirReminderPointersAreErasedWithTheirCase()
    {
        await using var api = await CaseApi.StartAsync();
        var meetingId = await MeetingAsync(api, "practitioners", null);
        var caseId = await LedgerTests.CreateAsync(api, "registered", null);
        using (var reviewed = await ReviewAsync(api, meetingId, "\"v1\"", new JsonObject
        {
            ["caseId"] = caseId,
            ["status"] = "registered",
            ["supportPolicy"] = "見守り",
            ["tasks"] = new JsonArray(new JsonObject { ["title"] = "家庭訪問", ["ownerPersonId"] = DemoPeople.PersonId("nurse-suzuki"), ["dueDate"] = "2025-07-01" }),
        }))
        {
            Assert.Equal(HttpStatusCode.Created, reviewed.StatusCode);
        }

        var table = api.Host.Get<CaseStore>().Table;
        var before = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")).ToListAsync();
        Assert.Contains(before, row => row.RowKey.StartsWith("j-", StringComparison.Ordinal));
        Assert.Contains(before, row => row.GetString("Type") == "review");
        Assert.Single(await TaskReminderTests.PointersAsync(api, caseId));
        var plan = await api.Host.Get<CaseEraser>().PlanAsync(caseId, CancellationToken.None);
        Assert.Equal(1, plan.Single(count => count.Store == TaskReminders.TableName).Count);

        await api.Host.Get<CaseEraser>().EraseAsync(caseId, CancellationToken.None);

        Assert.Empty(await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")).ToListAsync());
        Assert.Empty(await TaskReminderTests.PointersAsync(api, caseId));
    }

    internal static async Task<string> MeetingAsync(CaseApi api, string kind, string? title, string? minutes = null)
    {
        var request = new JsonObject { ["kind"] = kind, ["date"] = "2025-06-16", ["attendingAgencyIds"] = new JsonArray("midori-kodomo-ka", "minami-shogakko") };
        if (title is not null)
        {
            request["title"] = title;
        }

        if (minutes is not null)
        {
            request["minutes"] = minutes;
        }

        using var response = await api.SendAsync(HttpMethod.Post, "api/meetings", CaseApi.Coordinator, CaseApi.Json(request));
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["meetingId"]!;
    }

    internal static Task<HttpResponseMessage> ReviewAsync(CaseApi api, string meetingId, string etag, JsonObject review, string person = CaseApi.Coordinator)
        => api.SendAsync(HttpMethod.Post, $"api/meetings/{meetingId}/reviews", person, CaseApi.Json(review), request => request.Headers.TryAddWithoutValidation("If-Match", etag));
}
