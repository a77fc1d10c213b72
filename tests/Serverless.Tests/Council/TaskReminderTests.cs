using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Council.Tasks;
using Serverless.DevHost;
using Serverless.Notifications;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Notifications;

namespace Serverless.Tests.Council;

/// <summary>Tasks remind their owners in the inbox 3 days before they are due and once when overdue, each reminder once
/// however often the timer runs; a done task never reminds. The clock stands at Monday 16 June 2025 (Japan).</summary>
public sealed class TaskReminderTests
{
    [Fact]
    public async Task OwnersAreRemindedBeforeTheDueDateAndOnceOverdueAndADoneTaskNever()
    {
        await using var api = await CaseApi.StartAsync();
        var meetingId = await MeetingReviewTests.MeetingAsync(api, "practitioners", null);
        var caseId = await LedgerTests.CreateAsync(api, "registered", null);
        using var reviewed = await MeetingReviewTests.ReviewAsync(api, meetingId, "\"v1\"", new JsonObject
        {
            ["caseId"] = caseId,
            ["status"] = "registered",
            ["supportPolicy"] = "見守り",
            ["tasks"] = new JsonArray(
                new JsonObject { ["title"] = "出欠の確認", ["ownerAgencyId"] = "minami-shogakko", ["dueDate"] = "2025-06-20" },
                new JsonObject { ["title"] = "家庭訪問の調整", ["ownerPersonId"] = DemoPeople.PersonId("coordinator-mori"), ["dueDate"] = "2025-06-19" },
                new JsonObject { ["title"] = "担任との面談", ["ownerAgencyId"] = "minami-shogakko", ["dueDate"] = "2025-06-19" }),
        });
        var body = await CaseApi.BodyAsync(reviewed);
        Assert.True(reviewed.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var (school, mori, done) = ((string)body["tasks"]![0]!["taskId"]!, (string)body["tasks"]![1]!["taskId"]!, (string)body["tasks"]![2]!["taskId"]!);
        using (var marked = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/tasks/{done}/done", "teacher-tanaka"))
        {
            Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        }

        var reminders = api.Host.Get<TaskReminders>();
        Assert.Equal(new TaskReminderRun(1, 1, 0, 0), await reminders.RunAsync(CancellationToken.None)); // 16th: Mori's, due the 19th
        Assert.Equal(new TaskReminderRun(1, 0, 0, 0), await reminders.RunAsync(CancellationToken.None));

        api.Host.Clock!.Advance(TimeSpan.FromDays(1)); // 17th: the school's, due the 20th
        var runs = await Task.WhenAll(reminders.RunAsync(CancellationToken.None), reminders.RunAsync(CancellationToken.None)); // two at once: a redelivered timer
        Assert.Equal([2, 2], runs.Select(run => run.Read));
        Assert.Equal((string?)"task-due-soon", (string?)Assert.Single(await TaskNotesAsync(api, "teacher-tanaka", school))["kind"]);

        // A run that crashed after sending and before recording: the next run sends the same notification, kept once.
        var table = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(TaskReminders.TableName));
        foreach (var pointer in await PointersAsync(api, caseId))
        {
            pointer.Remove("DueSoonSentAt");
            await table.UpdateEntityAsync(pointer, pointer.ETag, TableUpdateMode.Replace);
        }

        Assert.Equal(new TaskReminderRun(2, 2, 0, 0), await reminders.RunAsync(CancellationToken.None));
        Assert.Single(await TaskNotesAsync(api, "teacher-tanaka", school));
        Assert.Single(await TaskNotesAsync(api, "coordinator-mori", mori));

        api.Host.Clock!.Advance(TimeSpan.FromDays(4)); // 21st: both overdue
        Assert.Equal(new TaskReminderRun(2, 0, 2, 0), await reminders.RunAsync(CancellationToken.None));
        Assert.Equal(new TaskReminderRun(0, 0, 0, 0), await reminders.RunAsync(CancellationToken.None));

        var tanaka = await TaskNotesAsync(api, "teacher-tanaka", school);
        Assert.Equal(["task-overdue", "task-due-soon"], tanaka.Select(item => (string)item["kind"]!));
        Assert.All(tanaka, item => Assert.Equal((caseId, "system"), ((string?)item["caseId"], (string?)item["actorId"])));
        Assert.Equal(["task-overdue", "task-due-soon"], (await TaskNotesAsync(api, "coordinator-mori", mori)).Select(item => (string)item["kind"]!));
        Assert.Empty(await TaskNotesAsync(api, "teacher-tanaka", done));
        Assert.Empty(await TaskNotesAsync(api, "teacher-kimura", school)); // of the school, not named on the case
        Assert.Empty(await TaskNotesAsync(api, CaseApi.Coordinator, mori)); // not the owner
        Assert.Empty(await PointersAsync(api, caseId));
    }

    [Fact]
    public async Task APointerWhoseReviewFailedIsDroppedOnceOldAndRemindsNobody()
    {
        await using var api = await CaseApi.StartAsync();
        var meetingId = await MeetingReviewTests.MeetingAsync(api, "practitioners", null);
        var caseId = await LedgerTests.CreateAsync(api, "registered", null);
        using (var stale = await MeetingReviewTests.ReviewAsync(api, meetingId, "\"v7\"", new JsonObject
        {
            ["caseId"] = caseId,
            ["status"] = "registered",
            ["supportPolicy"] = "見守り",
            ["tasks"] = new JsonArray(new JsonObject { ["title"] = "出欠の確認", ["ownerAgencyId"] = "minami-shogakko", ["dueDate"] = "2025-06-17" }),
        }))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        }

        var reminders = api.Host.Get<TaskReminders>();
        Assert.Single(await PointersAsync(api, caseId)); // persist first: the pointer came before the refused batch
        Assert.Equal(new TaskReminderRun(1, 0, 0, 0), await reminders.RunAsync(CancellationToken.None)); // young: the batch may be on its way
        api.Host.Clock!.Advance(TaskReminders.OrphanAge);
        Assert.Equal(new TaskReminderRun(1, 0, 0, 1), await reminders.RunAsync(CancellationToken.None));
        Assert.Empty(await PointersAsync(api, caseId));
        Assert.DoesNotContain(await api.InboxAsync("teacher-tanaka"), item => ((string)item!["kind"]!).StartsWith("task-", StringComparison.Ordinal));
    }

    private static async Task<List<JsonNode>> TaskNotesAsync(CaseApi api, string person, string taskId)
        => [.. (await api.InboxAsync(person)).Where(item => (string?)item!["taskId"] == taskId).Select(item => item!)];

    internal static async Task<List<TableEntity>> PointersAsync(CaseApi api, string caseId)
    {
        var table = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(TaskReminders.TableName));
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CaseId eq {caseId}")))
        {
            rows.Add(row);
        }

        return rows;
    }
}
