namespace Serverless.Attendance;

/// <summary><c>PUT /api/agencies/{agencyId}/attendance-list/staff</c>: the staff who may read the agency's list (replaces it).</summary>
public sealed record AttendanceStaffRequest(IReadOnlyList<string?>? PersonIds = null);

/// <summary><c>POST /api/cases/{caseId}/attendance-listing</c>: put the case's child on this agency's list.</summary>
public sealed record AttendanceListingRequest(string? AgencyId = null);

/// <summary><c>PUT /api/agencies/{agencyId}/calendar/{fiscalYear}</c>: the year's closed days and open weekend days (replaces it).</summary>
public sealed record CalendarRequest(IReadOnlyList<DateOnly>? ClosedDays = null, IReadOnlyList<DateOnly>? OpenDays = null);

/// <summary><c>PUT /api/agencies/{agencyId}/attendance/{month}</c>: one row per child on the list.</summary>
public sealed record MonthlyReportRequest(IReadOnlyList<AttendanceRowInput?>? Rows = null);

/// <summary>
/// One child's month. <paramref name="AbsentDates"/>: the days absent (their number is the two absence counts together),
/// which the 7-day rule reads with the calendar; <paramref name="LongestAbsenceRun"/>: the agency's own count of the
/// longest run of consecutive school days absent in the month.
/// </summary>
public sealed record AttendanceRowInput(
    string? EntryId = null,
    int? AttendedDays = null,
    int? AbsentWithReason = null,
    int? AbsentWithoutReason = null,
    int? LongestAbsenceRun = null,
    IReadOnlyList<DateOnly>? AbsentDates = null,
    string? Notes = null);

/// <summary><c>POST /api/agencies/{agencyId}/attendance/absences</c>: a child absent now, reported before the month's report.</summary>
public sealed record AbsenceNoticeRequest(string? EntryId = null, IReadOnlyList<DateOnly>? Dates = null, bool? ReasonGiven = null, string? Notes = null);
