using System.Net;
using System.Text.Json.Nodes;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Attendance.AttendanceApi;

namespace Serverless.Tests.Attendance;

/// <summary>
/// Who reaches an attendance list and its reports beyond the authorization matrix's one agency: the form's key reads
/// nothing (it only submits), staff not named for the list are refused (403 auth.forbidden, as for any role that may
/// not use an agency's list; the list names no case in its address, so there is nothing to hide behind a 404), and
/// another agency's list is refused to the named staff and the key alike. An agency that keeps no list is 404.
/// </summary>
public sealed class AttendanceAccessTests
{
    private const string Nursery = "hikari-hoikuen";

    [Fact]
    public async Task TheFormsKeySubmitsButReadsNothing()
    {
        await using var world = await AttendanceApi.StartAsync();
        await world.SubmitMonthAsync("2025-05", Row(world.EntryId, "2025-05-19"));

        foreach (var path in new[]
        {
            $"api/agencies/{School}/attendance-list",
            $"api/agencies/{School}/attendance-list/staff",
            $"api/agencies/{School}/attendance/2025-05",
            $"api/agencies/{School}/attendance/2025-05?version=1",
            $"api/agencies/{School}/calendar/2025",
        })
        {
            using var response = await world.SendAsync(HttpMethod.Get, path, null);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, path + ": " + text);
            Assert.DoesNotContain(world.EntryId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(world.FamilyName, text, StringComparison.Ordinal);
        }

        using var staff = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance-list/staff", null, new JsonObject { ["personIds"] = new JsonArray() });
        await CaseApi.ProblemAsync(staff, ProblemCatalogue.Forbidden);
        using var listing = await world.SendAsync(HttpMethod.Post, $"api/cases/{world.CaseId}/attendance-listing", null, new JsonObject { ["agencyId"] = School });
        Assert.True(listing.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, await listing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaffNotNamedForTheListAreRefusedEverythingButTheirAgencysCalendar()
    {
        await using var world = await AttendanceApi.StartAsync();
        await world.SubmitMonthAsync("2025-05", Row(world.EntryId, "2025-05-19"));

        using var list = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", Unnamed);
        await CaseApi.ProblemAsync(list, ProblemCatalogue.Forbidden);
        using var report = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance/2025-05", Unnamed);
        await CaseApi.ProblemAsync(report, ProblemCatalogue.Forbidden);
        using var submit = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance/2025-05", Unnamed, new JsonObject { ["rows"] = new JsonArray(Row(world.EntryId)) });
        await CaseApi.ProblemAsync(submit, ProblemCatalogue.Forbidden);
        using var notice = await world.SendAsync(HttpMethod.Post, $"api/agencies/{School}/attendance/absences", Unnamed, new JsonObject { ["entryId"] = world.EntryId, ["dates"] = new JsonArray("2025-06-16") });
        await CaseApi.ProblemAsync(notice, ProblemCatalogue.Forbidden);
        using var calendar = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/calendar/2025", Unnamed);
        Assert.Equal(HttpStatusCode.OK, calendar.StatusCode); // the calendar is the agency's own and names no child

        // Named no longer: the coordinator replaces the staff, and the teacher who read the list yesterday is refused.
        using var renamed = await world.SendAsync(HttpMethod.Put, $"api/agencies/{School}/attendance-list/staff", CaseApi.Coordinator, new JsonObject { ["personIds"] = new JsonArray(Serverless.DevHost.DemoPeople.PersonId(Unnamed)) });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        using var before = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", Staff);
        await CaseApi.ProblemAsync(before, ProblemCatalogue.Forbidden);
        using var now = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", Unnamed);
        Assert.Equal(world.EntryId, (string)Assert.Single((await CaseApi.BodyAsync(now))["entries"]!.AsArray())!["entryId"]!);
    }

    [Fact]
    public async Task AnotherAgencysListAndReportsAreRefusedToTheNamedStaffAndTheKey()
    {
        await using var world = await AttendanceApi.StartAsync();
        using var nurseryStaff = await world.SendAsync(HttpMethod.Put, $"api/agencies/{Nursery}/attendance-list/staff", CaseApi.Coordinator, new JsonObject { ["personIds"] = new JsonArray(Serverless.DevHost.DemoPeople.PersonId("nursery-yamada")) });
        Assert.Equal(HttpStatusCode.OK, nurseryStaff.StatusCode);

        // The school's named teacher and the school's key, at the nursery's list.
        using var list = await world.SendAsync(HttpMethod.Get, $"api/agencies/{Nursery}/attendance-list", Staff);
        await CaseApi.ProblemAsync(list, ProblemCatalogue.Forbidden);
        using var keyList = await world.SendAsync(HttpMethod.Get, $"api/agencies/{Nursery}/attendance-list", null);
        await CaseApi.ProblemAsync(keyList, ProblemCatalogue.Forbidden);
        using var submit = await world.SendAsync(HttpMethod.Put, $"api/agencies/{Nursery}/attendance/2025-05", Staff, new JsonObject { ["rows"] = new JsonArray() });
        await CaseApi.ProblemAsync(submit, ProblemCatalogue.Forbidden);
        using var keySubmit = await world.SendAsync(HttpMethod.Put, $"api/agencies/{Nursery}/attendance/2025-05", null, new JsonObject { ["rows"] = new JsonArray() });
        await CaseApi.ProblemAsync(keySubmit, ProblemCatalogue.Forbidden);
        using var keyNotice = await world.SendAsync(HttpMethod.Post, $"api/agencies/{Nursery}/attendance/absences", null, new JsonObject { ["entryId"] = world.EntryId, ["dates"] = new JsonArray("2025-06-16") });
        await CaseApi.ProblemAsync(keyNotice, ProblemCatalogue.Forbidden);
        using var calendar = await world.SendAsync(HttpMethod.Put, $"api/agencies/{Nursery}/calendar/2025", Staff, new JsonObject { ["closedDays"] = new JsonArray("2025-07-21") });
        await CaseApi.ProblemAsync(calendar, ProblemCatalogue.Forbidden);

        // The nursery's named head, at the school's list and report.
        using var theirs = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance-list", "nursery-yamada");
        await CaseApi.ProblemAsync(theirs, ProblemCatalogue.Forbidden);
        await world.SubmitMonthAsync("2025-05", Row(world.EntryId));
        using var theirReport = await world.SendAsync(HttpMethod.Get, $"api/agencies/{School}/attendance/2025-05", "nursery-yamada");
        await CaseApi.ProblemAsync(theirReport, ProblemCatalogue.Forbidden);

        // The school's entry id at the nursery's address is not on the nursery's list, even for the coordinator.
        using var coordinator = await world.SendAsync(HttpMethod.Get, $"api/agencies/{Nursery}/attendance-list", CaseApi.Coordinator);
        Assert.Empty((await CaseApi.BodyAsync(coordinator))["entries"]!.AsArray());
    }

    [Fact]
    public async Task AnAgencyThatKeepsNoListIsMissing()
    {
        await using var world = await AttendanceApi.StartAsync();
        foreach (var agency in new[] { "midori-kodomo-ka", "no-such-agency" })
        {
            using var list = await world.SendAsync(HttpMethod.Get, $"api/agencies/{agency}/attendance-list", CaseApi.Coordinator);
            await CaseApi.ProblemAsync(list, ProblemCatalogue.NotFound);
            using var staff = await world.SendAsync(HttpMethod.Put, $"api/agencies/{agency}/attendance-list/staff", CaseApi.Coordinator, new JsonObject { ["personIds"] = new JsonArray() });
            await CaseApi.ProblemAsync(staff, ProblemCatalogue.NotFound);
        }
    }
}
