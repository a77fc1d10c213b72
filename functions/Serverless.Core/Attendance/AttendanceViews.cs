namespace Serverless.Attendance;

/// <summary>The staff named for an agency's attendance list.</summary>
public sealed record AttendanceStaffView(string AgencyId, IReadOnlyList<string> PersonIds);

/// <summary>A case put on an agency's list: the opaque entry id the agency's staff and form use.</summary>
public sealed record AttendanceListingView(string EntryId, string AgencyId, DateOnly ListedOn);

/// <summary>Just enough to tell which child an entry is: the name as registered (kana where given) and the birth date.</summary>
public sealed record AttendanceChild(string? Family, string? Given, string? FamilyKana, string? GivenKana, string? LatinName, DateOnly? BirthDate);

public sealed record AttendanceListItem(string EntryId, AttendanceChild Child, DateOnly ListedOn);

/// <summary><c>GET /api/agencies/{agencyId}/attendance-list</c>: the children the agency reports on, oldest listing first.</summary>
public sealed record AttendanceListView(string AgencyId, IReadOnlyList<AttendanceListItem> Entries);

public sealed record CalendarView(string AgencyId, int FiscalYear, IReadOnlyList<DateOnly> ClosedDays, IReadOnlyList<DateOnly> OpenDays, string WeekendRule);

/// <summary>One child's month as stored (the row as sent, normalised).</summary>
public sealed record AttendanceRow(
    string EntryId,
    int AttendedDays,
    int AbsentWithReason,
    int AbsentWithoutReason,
    int LongestAbsenceRun,
    IReadOnlyList<DateOnly> AbsentDates,
    string? Notes = null);

/// <summary>What a monthly report's submitter gets back: the version stored, and how many 7-day alerts it raised.</summary>
public sealed record MonthlyReportReceipt(string AgencyId, string Month, int Version, int Rows, int AlertsRaised, bool Replaced);

/// <summary>One version of a month's report (the current one unless asked for an earlier one).</summary>
public sealed record MonthlyReportView(string AgencyId, string Month, int Version, int CurrentVersion, DateTimeOffset SubmittedAt, IReadOnlyList<AttendanceRow> Rows);

/// <summary>What a mid-month notice's sender gets back: the child's current run of consecutive school days absent.</summary>
public sealed record AbsenceNoticeReceipt(string EntryId, int ConsecutiveSchoolDaysAbsent, bool AlertRaised);
