using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Attendance;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Attendance;

/// <summary>Monthly attendance reports from schools and nurseries (定期的な情報提供): the lists, their staff, the agencies'
/// calendars, the monthly reports and the mid-month absence notices. See docs/attendance.md.</summary>
public sealed class AttendanceFunctions(HttpEndpoint endpoint, AttendanceLists lists, AttendanceReports reports)
{
    private const string Body = "request.invalid-json";

    [Function("NameAttendanceStaff")]
    [ApiOperation("Name the staff who may read a school's or nursery's attendance list (replaces those named before): the homeroom teacher and the head, not the whole school. Each must be an active member of that agency.", Tag = "attendance", Access = "coordinator", RequestBody = typeof(AttendanceStaffRequest))]
    [ApiResponse(200, typeof(AttendanceStaffView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", Body, "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> NameStaff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/agencies/{agencyId}/attendance-list/staff")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceStaffName, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<AttendanceStaffRequest>(request, context, AttendanceLimits.MaxBodyBytes);
            var outcome = await lists.NameStaffAsync(caller, agencyId, body.Value, cancellationToken);
            return outcome is CaseOutcome<AttendanceStaffView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => ApiResult.Ok(view));
        }, target: Target(agencyId));

    [Function("GetAttendanceStaff")]
    [ApiOperation("The staff named for an agency's attendance list.", Tag = "attendance", Access = "coordinator; the staff named for the list")]
    [ApiResponse(200, typeof(AttendanceStaffView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> GetStaff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/agencies/{agencyId}/attendance-list/staff")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceStaffRead, null, async (context, caller) =>
            CaseResults.From(await lists.StaffAsync(caller, agencyId, cancellationToken), context, view => ApiResult.Ok(view)), target: Target(agencyId));

    [Function("ListCaseForAttendance")]
    [ApiOperation("Put the case's child on the attendance list of a school, kindergarten, 認定こども園 or nursery (licensed or not) that is the case's key agency or takes part in it. 201 with the list's opaque entry id (200 with the same one when already listed). The child leaves the list when the case closes or the agency stops being on the case.", Tag = "attendance", Access = "coordinator", RequestBody = typeof(AttendanceListingRequest))]
    [ApiResponse(201, typeof(AttendanceListingView))]
    [ApiResponse(200, typeof(AttendanceListingView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", Body, "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "attendance.case-closed")]
    public Task<IActionResult> ListCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/attendance-listing")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceListAdd, caseId, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<AttendanceListingRequest>(request, context, AttendanceLimits.MaxBodyBytes);
            var outcome = await lists.ListCaseAsync(caller, caseId, body.Value, cancellationToken);
            return outcome is CaseOutcome<(AttendanceListingView, bool)>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, done => done.Created ? new ApiResult(StatusCodes.Status201Created, done.View) : ApiResult.Ok(done.View));
        });

    [Function("GetAttendanceList")]
    [ApiOperation("The agency's attendance list: each child by the list's opaque entry id (to hand to the agency's form), name, kana and birth date, and since when listed. A child whose case closed or who moved is not on it. Every read is audited with the cases it named.", Tag = "attendance", Access = "the staff the coordinator named for the list; coordinator")]
    [ApiResponse(200, typeof(AttendanceListView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> GetList(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/agencies/{agencyId}/attendance-list")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceListRead, null, async (context, caller) =>
            CaseResults.From(await lists.ReadAsync(caller, agencyId, cancellationToken), context, view => ApiResult.Ok(view)), target: Target(agencyId));

    [Function("SetAttendanceCalendar")]
    [ApiOperation("Set (replace) the agency's calendar for a fiscal year (April to March): closedDays (休業日: holidays, vacations) and openDays (a Saturday or Sunday the agency is open). Weekends are closed unless listed as open; every other day is a school day unless listed as closed. The 7-day rule counts school days only.", Tag = "attendance", Access = "a member of the agency; coordinator", RequestBody = typeof(CalendarRequest))]
    [ApiResponse(200, typeof(CalendarView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", Body, "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> SetCalendar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/agencies/{agencyId}/calendar/{fiscalYear}")] HttpRequest request,
        string agencyId,
        string fiscalYear,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceCalendarSet, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<CalendarRequest>(request, context, AttendanceLimits.MaxBodyBytes);
            var outcome = await lists.SetCalendarAsync(caller, agencyId, fiscalYear, body.Value, cancellationToken);
            return outcome is CaseOutcome<CalendarView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => ApiResult.Ok(view));
        }, target: Target(agencyId));

    [Function("GetAttendanceCalendar")]
    [ApiOperation("The agency's calendar for a fiscal year (the default, weekends closed, when none was set).", Tag = "attendance", Access = "a member of the agency; coordinator")]
    [ApiResponse(200, typeof(CalendarView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.validation-failed")]
    public Task<IActionResult> GetCalendar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/agencies/{agencyId}/calendar/{fiscalYear}")] HttpRequest request,
        string agencyId,
        string fiscalYear,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceCalendarRead, null, async (context, caller) =>
            CaseResults.From(await lists.CalendarAsync(caller, agencyId, fiscalYear, cancellationToken), context, view => ApiResult.Ok(view)), target: Target(agencyId));

    [Function("SubmitAttendanceReport")]
    [ApiOperation("The month's attendance report (yyyy-MM): one row per child on the list, by the list's entry id: days attended, days absent with and without a reason, the dates absent, the longest run of consecutive school days absent, notes. Validated row by row: every error carries its row's index (row) and field. Idempotent per agency and month: sending again replaces the report, and the earlier one is kept as a version. A child absent 7 or more consecutive school days (reason given or not; the run may cross months) raises an urgent alert on the case, once.", Tag = "attendance", Access = "the agency's submission key; the staff named for the list", RequestBody = typeof(MonthlyReportRequest))]
    [ApiResponse(200, typeof(MonthlyReportReceipt))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", Body, "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "resource.conflict")]
    public Task<IActionResult> SubmitReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/agencies/{agencyId}/attendance/{month}")] HttpRequest request,
        string agencyId,
        string month,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceReportSubmit, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<MonthlyReportRequest>(request, context, AttendanceLimits.MaxReportBodyBytes);
            var outcome = await reports.SubmitMonthAsync(caller, agencyId, month, body.Value, cancellationToken);
            return outcome is CaseOutcome<MonthlyReportReceipt>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, receipt => ApiResult.Ok(receipt));
        }, target: Target(agencyId));

    [Function("GetAttendanceReport")]
    [ApiOperation("A month's attendance report as it stands, or an earlier version (version=).", Tag = "attendance", Access = "the staff named for the list; coordinator")]
    [ApiQuery("version", "an earlier version, 1 to the current one")]
    [ApiResponse(200, typeof(MonthlyReportView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.validation-failed")]
    public Task<IActionResult> GetReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/agencies/{agencyId}/attendance/{month}")] HttpRequest request,
        string agencyId,
        string month,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceReportRead, null, async (context, caller) =>
            CaseResults.From(await reports.ReadMonthAsync(caller, agencyId, month, request.Query["version"].ToString(), cancellationToken), context, view => ApiResult.Ok(view)), target: Target(agencyId));

    [Function("NoticeAbsence")]
    [ApiOperation("A child on the list absent now, before the month's report: the list's entry id and the dates absent (the last 62 days). 201 with the child's current run of consecutive school days absent; reaching 7 raises the urgent alert at once, even with a reason from the guardian.", Tag = "attendance", Access = "the agency's submission key; the staff named for the list", RequestBody = typeof(AbsenceNoticeRequest))]
    [ApiResponse(201, typeof(AbsenceNoticeReceipt))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", Body, "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Notice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/agencies/{agencyId}/attendance/absences")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AttendanceAbsenceNotice, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<AbsenceNoticeRequest>(request, context, AttendanceLimits.MaxBodyBytes);
            var outcome = await reports.NoticeAsync(caller, agencyId, body.Value, cancellationToken);
            return outcome is CaseOutcome<AbsenceNoticeReceipt>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, receipt => new ApiResult(StatusCodes.Status201Created, receipt));
        }, target: Target(agencyId));

    private static AuditTarget Target(string agencyId) => new(AgencyId: agencyId);
}
