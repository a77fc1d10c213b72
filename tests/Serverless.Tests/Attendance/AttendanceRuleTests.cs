using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Attendance;
using Serverless.Cases.Disposal;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Notifications;
using static Serverless.Tests.Attendance.AttendanceApi;

namespace Serverless.Tests.Attendance;

/// <summary>The 7-day rule's edges (joint notice of 2019-02-28), the monthly report's versions and row errors, the list's
/// scope, and that nothing of it outlives the case. June 2025: the 1st is a Sunday; the clock stands at Monday the 16th.</summary>
public sealed class AttendanceRuleTests
{
    [Fact]
    public async Task AClosedDayInsideTheRunNeitherCountsNorBreaksItAndTheSeventhSchoolDayAlertsOnceEvenWithAReason()
    {
        await using var world = await AttendanceApi.StartAsync();
        using var calendar = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/calendar/2025", Staff, new JsonObject { ["closedDays"] = new JsonArray("2025-06-11") });
        Assert.Equal(HttpStatusCode.OK, calendar.StatusCode);

        var six = await world.NoticeAsync(reasonGiven: true, "2025-06-05", "2025-06-06", "2025-06-09", "2025-06-10", "2025-06-12", "2025-06-13");
        Assert.Equal(6, (int)six["consecutiveSchoolDaysAbsent"]!); // the weekend and the closed Wednesday do not count
        Assert.False((bool)six["alertRaised"]!);
        Assert.Empty(await world.AlertsAsync());

        var seven = await world.NoticeAsync(reasonGiven: true, "2025-06-16");
        Assert.Equal(7, (int)seven["consecutiveSchoolDaysAbsent"]!);
        Assert.True((bool)seven["alertRaised"]!);
        var again = await world.NoticeAsync(reasonGiven: true, "2025-06-16");
        Assert.False((bool)again["alertRaised"]!);

        var alert = Assert.Single(await world.AlertsAsync())["attendanceAlert"]!;
        Assert.Equal(7, (int)alert["schoolDaysAbsent"]!);
        Assert.Equal("2025-06-05", (string)alert["firstDay"]!);
        Assert.Equal("2025-06-16", (string)alert["lastDay"]!);
        Assert.True((bool)alert["reasonGiven"]!);
        Assert.Equal(School, (string)alert["agencyId"]!);
        await world.Api.DeliverQueuedAsync();
        var alertId = (string)(await world.AlertsAsync())[0]["entryId"]!;
        foreach (var person in new[] { CaseApi.Coordinator, "coordinator-mori", Staff }) // the lead agency's coordinators, and the school's named teacher
        {
            var told = Assert.Single(await world.Api.AboutAsync(person, alertId));
            Assert.True((bool)told["urgent"]!, person);
        }
    }

    [Fact]
    public async Task WithoutTheClosedDayTheSameAbsencesAreTwoRunsAndRaiseNothing()
    {
        await using var world = await AttendanceApi.StartAsync();
        var notice = await world.NoticeAsync(reasonGiven: false, "2025-06-05", "2025-06-06", "2025-06-09", "2025-06-10", "2025-06-12", "2025-06-13", "2025-06-16");
        Assert.Equal(3, (int)notice["consecutiveSchoolDaysAbsent"]!); // 11 June is a school day the child attended
        Assert.False((bool)notice["alertRaised"]!);
        Assert.Empty(await world.AlertsAsync());
    }

    [Fact]
    public async Task ARunAcrossTwoMonthsAlertsWhenTheSecondMonthCompletesIt()
    {
        await using var world = await AttendanceApi.StartAsync();
        var may = await world.SubmitMonthAsync("2025-05", Row(world.EntryId, "2025-05-26", "2025-05-27", "2025-05-28", "2025-05-29", "2025-05-30"));
        Assert.Equal(0, (int)may["alertsRaised"]!);

        var june = await world.NoticeAsync(reasonGiven: false, "2025-06-02", "2025-06-03");

        Assert.Equal(7, (int)june["consecutiveSchoolDaysAbsent"]!);
        Assert.True((bool)june["alertRaised"]!);
        var alert = Assert.Single(await world.AlertsAsync())["attendanceAlert"]!;
        Assert.Equal("2025-05-26", (string)alert["firstDay"]!);
    }

    [Fact]
    public async Task AResubmissionReplacesTheMonthKeepsTheEarlierVersionAndDoesNotRaiseTheAlertTwice()
    {
        await using var world = await AttendanceApi.StartAsync();
        var seven = Row(world.EntryId, "2025-05-19", "2025-05-20", "2025-05-21", "2025-05-22", "2025-05-23", "2025-05-26", "2025-05-27");
        var first = await world.SubmitMonthAsync("2025-05", seven);
        Assert.Equal((1, 1, false), ((int)first["version"]!, (int)first["alertsRaised"]!, (bool)first["replaced"]!));
        var same = await world.SubmitMonthAsync("2025-05", (JsonObject)seven.DeepClone());
        Assert.Equal((2, 0, true), ((int)same["version"]!, (int)same["alertsRaised"]!, (bool)same["replaced"]!));

        var corrected = await world.SubmitMonthAsync("2025-05", Row(world.EntryId, "2025-05-19"));
        Assert.Equal(3, (int)corrected["version"]!);

        using var current = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance/2025-05", Staff);
        var now = await CaseApi.BodyAsync(current);
        Assert.Equal((3, 3), ((int)now["version"]!, (int)now["currentVersion"]!));
        Assert.Equal(["2025-05-19"], Assert.Single(now["rows"]!.AsArray())!["absentDates"]!.AsArray().Select(date => (string)date!));
        using var earlier = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance/2025-05?version=1", CaseApi.Coordinator);
        var kept = await CaseApi.BodyAsync(earlier);
        Assert.Equal(1, (int)kept["version"]!);
        Assert.Equal(7, Assert.Single(kept["rows"]!.AsArray())!["absentDates"]!.AsArray().Count);
        Assert.Single(await world.AlertsAsync()); // raised once; a correction does not withdraw what was reported
    }

    [Fact]
    public async Task AChildWhoMovedLeavesTheListAndRowsAndNoticesForThemAreRefusedByRow()
    {
        await using var world = await AttendanceApi.StartAsync();
        using var read = await world.Api.GetAsync(world.CaseId);
        using var moved = await world.Api.PatchAsync(world.CaseId, CaseApi.ETag(read), "転校のため", new JsonObject
        {
            ["keyAgencyId"] = "hikari-hoikuen",
            ["staff"] = new JsonArray(new JsonObject { ["personId"] = Serverless.DevHost.DemoPeople.PersonId("nursery-yamada"), ["agencyId"] = "hikari-hoikuen" }),
        });
        Assert.True(moved.StatusCode == HttpStatusCode.OK, (await CaseApi.BodyAsync(moved)).ToJsonString());

        using var list = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", Staff);
        Assert.Empty((await CaseApi.BodyAsync(list))["entries"]!.AsArray());
        using var month = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance/2025-05", null, new JsonObject { ["rows"] = new JsonArray(Row(world.EntryId, "2025-05-19", "2025-05-20", "2025-05-21", "2025-05-22", "2025-05-23", "2025-05-26", "2025-05-27")) });
        var errors = await CaseApi.ValidationErrorsAsync(month, ("$.rows[0].entryId", "not-on-list"));
        Assert.Equal(0, (int)errors[0]!["row"]!);
        using var notice = await world.SendAsync(HttpMethod.Post, $"api/agencies/{School}/attendance/absences", null, new JsonObject { ["entryId"] = world.EntryId, ["dates"] = new JsonArray("2025-06-16") });
        await CaseApi.ValidationErrorsAsync(notice, ("$.entryId", "not-on-list"));
        Assert.Empty(await world.AlertsAsync());
        Assert.Empty(await RowsAsync(world, "list|" + School)); // the case change took it off the list
    }

    [Fact]
    public async Task AChildWhoseCaseClosedLeavesTheListItsRowsAndNoticesAreRefusedAndNoReminderAsksForIt()
    {
        await using var world = await AttendanceApi.StartAsync();
        using var read = await world.Api.GetAsync(world.CaseId);
        using var closed = await world.Api.PatchAsync(world.CaseId, CaseApi.ETag(read), "実務者会議で終結", new JsonObject
        {
            ["status"] = "closed",
            ["closure"] = new JsonObject { ["outcome"] = "improved", ["reason"] = "見守りの必要がなくなった", ["decidedOn"] = "2025-06-13", ["meeting"] = "第3回実務者会議" },
        });
        Assert.True(closed.StatusCode == HttpStatusCode.OK, (await CaseApi.BodyAsync(closed)).ToJsonString());

        Assert.Empty(await RowsAsync(world, "list|" + School)); // the closing change took it off the list
        using var list = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", Staff);
        Assert.Empty((await CaseApi.BodyAsync(list))["entries"]!.AsArray());
        using var month = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance/2025-06", null, new JsonObject { ["rows"] = new JsonArray(Row(world.EntryId, "2025-06-02", "2025-06-03", "2025-06-04", "2025-06-05", "2025-06-06", "2025-06-09", "2025-06-10")) });
        await CaseApi.ValidationErrorsAsync(month, ("$.rows[0].entryId", "not-on-list"));
        using var notice = await world.SendAsync(HttpMethod.Post, $"api/agencies/{School}/attendance/absences", null, new JsonObject { ["entryId"] = world.EntryId, ["dates"] = new JsonArray("2025-06-16") });
        await CaseApi.ValidationErrorsAsync(notice, ("$.entryId", "not-on-list"));
        Assert.Empty(await world.AlertsAsync());
        using var again = await world.SendAsync(HttpMethod.Post, $"api/cases/{world.CaseId}/attendance-listing", CaseApi.Coordinator, new JsonObject { ["agencyId"] = School });
        await CaseApi.ProblemAsync(again, ProblemCatalogue.AttendanceCaseClosed);

        world.Api.Host.Clock!.Advance(TimeSpan.FromDays(30)); // 16 July: June's report would be overdue for a child still listed
        Assert.Equal(new ReminderRun("2025-06", 0, 0, 0), await world.Api.Host.Get<AttendanceReminders>().RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EveryRowErrorNamesItsRowAndFieldAndTheLimitsAreExplicit()
    {
        await using var world = await AttendanceApi.StartAsync();
        var bad = Row(world.EntryId, "2025-05-19");
        bad["attendedDays"] = -1;
        bad["absentDates"] = new JsonArray("2025-05-19", "2025-06-02");
        var longNotes = Row(world.EntryId);
        longNotes["notes"] = new string('欠', AttendanceLimits.MaxNotesLength + 1);
        using var response = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance/2025-05", null, new JsonObject { ["rows"] = new JsonArray(Row(world.EntryId), bad, longNotes) });

        var errors = await CaseApi.ValidationErrorsAsync(
            response,
            ("$.rows[1].entryId", "duplicate"),
            ("$.rows[1].attendedDays", "out-of-range"),
            ("$.rows[1].absentDates", "count-mismatch"),
            ("$.rows[1].absentDates[1]", "not-in-month"),
            ("$.rows[2].entryId", "duplicate"),
            ("$.rows[2].notes", "too-long"));
        Assert.Equal([1, 1, 1, 1, 2, 2], errors.Select(error => (int)error!["row"]!));

        var tooMany = new JsonArray([.. Enumerable.Range(0, AttendanceLimits.MaxRows + 1).Select(_ => (JsonNode)Row(world.EntryId))]);
        using var many = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance/2025-05", null, new JsonObject { ["rows"] = tooMany });
        await CaseApi.ValidationErrorsAsync(many, ("$.rows", "too-many"));
        using var nothing = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance/2025-05", Staff);
        await CaseApi.ProblemAsync(nothing, ProblemCatalogue.NotFound); // nothing was stored
    }

    [Fact]
    public async Task TheListShowsTheNamedStaffTheChildByAnOpaqueEntryIdAndNobodyElse()
    {
        await using var world = await AttendanceApi.StartAsync();
        using var named = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", Staff);
        var text = await named.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        var entry = Assert.Single(JsonNode.Parse(text)!["entries"]!.AsArray())!;
        Assert.Equal(world.EntryId, (string)entry["entryId"]!);
        Assert.Equal(world.FamilyName, (string)entry["child"]!["family"]!);
        Assert.DoesNotContain(world.CaseId, text, StringComparison.Ordinal);

        using var unnamed = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", Unnamed);
        await CaseApi.ProblemAsync(unnamed, ProblemCatalogue.Forbidden);
        using var key = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", null);
        await CaseApi.ProblemAsync(key, ProblemCatalogue.Forbidden);
    }

    [Fact]
    public async Task ErasingTheCaseErasesItsListEntryRowsAbsencesAndAlertsAndLeavesTheAgencysCalendar()
    {
        await using var world = await AttendanceApi.StartAsync();
        using var calendar = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/calendar/2025", Staff, new JsonObject { ["closedDays"] = new JsonArray("2025-06-11") });
        await world.SubmitMonthAsync("2025-05", Row(world.EntryId, "2025-05-19", "2025-05-20", "2025-05-21", "2025-05-22", "2025-05-23", "2025-05-26", "2025-05-27"));
        await world.NoticeAsync(reasonGiven: false, "2025-06-16");
        Assert.True((await CaseRowsAsync(world)).Count >= 5); // entry, pointer, report row, two months' absences, alert
        Assert.NotEmpty(await RowsAsync(world, "alert|" + world.EntryId));
        Assert.Equal(2, (await RowsAsync(world, "absence|" + world.EntryId)).Count);
        Assert.Contains(await RowsAsync(world, "report|" + School + "|2025-05"), row => row.EndsWith(world.EntryId, StringComparison.Ordinal));
        var alertEntry = (string)Assert.Single(await world.AlertsAsync())["entryId"]!;
        var caseRows = world.Api.Host.Storage.Tables.GetTableClient(world.Api.Host.Names.Table(Serverless.Cases.Storage.CaseStore.TableName));
        Assert.NotEmpty(await AlertEntryRowsAsync(caseRows, world.CaseId, alertEntry));
        Assert.NotEmpty(await MentioningAsync(world, world.CaseId, world.EntryId));

        var plan = await world.Api.Host.Get<CaseEraser>().PlanAsync(world.CaseId, CancellationToken.None);
        var erased = await world.Api.Host.Get<CaseEraser>().EraseAsync(world.CaseId, CancellationToken.None);

        Assert.Equal(plan.Single(count => count.Store == AttendanceStore.TableName).Count, erased.Single(count => count.Store == AttendanceStore.TableName).Count);
        Assert.Empty(await CaseRowsAsync(world));
        Assert.Empty(await MentioningAsync(world, world.CaseId, world.EntryId)); // no row anywhere in the table: list, pointer, rows, absences, alerts
        Assert.Equal(["h0001", "head"], (await RowsAsync(world, "report|" + School + "|2025-05")).Order(StringComparer.Ordinal)); // the report's heads (no case data) stay; its row for the child went
        Assert.Single(await RowsAsync(world, "calendar|" + School));
        var caseTable = world.Api.Host.Storage.Tables.GetTableClient(world.Api.Host.Names.Table(Serverless.Cases.Storage.CaseStore.TableName));
        Assert.Empty(await AlertEntryRowsAsync(caseTable, world.CaseId, alertEntry)); // the alert on the timeline went with the case
        using var list = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", Staff);
        Assert.Empty((await CaseApi.BodyAsync(list))["entries"]!.AsArray());
    }

    [Fact]
    public async Task AMissingReportRemindsTheAgencyOnThe11thAndTheCoordinatorsOnThe16thOnceEach()
    {
        await using var world = await AttendanceApi.StartAsync();
        var reminders = world.Api.Host.Get<AttendanceReminders>();
        Assert.Equal(0, (await reminders.RunAsync(CancellationToken.None)).AgenciesMissing); // listed in June: May is not asked for

        world.Api.Host.Clock!.Advance(TimeSpan.FromDays(24)); // 10 July
        Assert.Equal(0, (await reminders.RunAsync(CancellationToken.None)).AgenciesMissing);
        world.Api.Host.Clock!.Advance(TimeSpan.FromDays(1)); // 11 July
        Assert.Equal(new ReminderRun("2025-06", 1, 1, 0), await reminders.RunAsync(CancellationToken.None));
        Assert.Equal(new ReminderRun("2025-06", 1, 0, 0), await reminders.RunAsync(CancellationToken.None));
        Assert.Contains(await world.Api.InboxAsync(Staff), item => (string)item!["kind"]! == "attendance-report-missing");
        world.Api.Host.Clock!.Advance(TimeSpan.FromDays(5)); // 16 July
        Assert.Equal(new ReminderRun("2025-06", 1, 0, 1), await reminders.RunAsync(CancellationToken.None));
        Assert.Contains(await world.Api.InboxAsync(CaseApi.Coordinator), item => (string)item!["kind"]! == "attendance-report-missing");

        await world.SubmitMonthAsync("2025-06", Row(world.EntryId));
        Assert.Equal(0, (await reminders.RunAsync(CancellationToken.None)).AgenciesMissing);
    }

    private static async Task<List<string>> CaseRowsAsync(AttendanceApi world)
    {
        var client = world.Api.Host.Storage.Tables.GetTableClient(world.Api.Host.Names.Table(AttendanceStore.TableName));
        var rows = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CaseId eq {world.CaseId}")))
        {
            rows.Add(row.PartitionKey + "/" + row.RowKey);
        }

        return rows;
    }

    /// <summary>The rows of the case's partition (its timeline) that hold the alert's entry.</summary>
    private static async Task<List<string>> AlertEntryRowsAsync(TableClient cases, string caseId, string entryId)
    {
        var rows = new List<string>();
        await foreach (var row in cases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")))
        {
            if (row.RowKey.Contains(entryId, StringComparison.Ordinal))
            {
                rows.Add(row.RowKey);
            }
        }

        return rows;
    }

    /// <summary>Every row of the Attendance table whose keys or any property mention one of the values.</summary>
    private static async Task<List<string>> MentioningAsync(AttendanceApi world, params string[] values)
    {
        var client = world.Api.Host.Storage.Tables.GetTableClient(world.Api.Host.Names.Table(AttendanceStore.TableName));
        var rows = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>())
        {
            var text = string.Join("|", row.Select(property => property.Key + "=" + property.Value)) + "|" + row.PartitionKey + "|" + row.RowKey;
            if (values.Any(value => text.Contains(value, StringComparison.Ordinal)))
            {
                rows.Add(row.PartitionKey + "/" + row.RowKey);
            }
        }

        return rows;
    }

    private static async Task<List<string>> RowsAsync(AttendanceApi world, string partition)
    {
        var client = world.Api.Host.Storage.Tables.GetTableClient(world.Api.Host.Names.Table(AttendanceStore.TableName));
        var rows = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}")))
        {
            rows.Add(row.RowKey);
        }

        return rows;
    }
}
