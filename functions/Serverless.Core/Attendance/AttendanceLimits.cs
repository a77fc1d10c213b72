namespace Serverless.Attendance;

/// <summary>The explicit limits of the attendance feature (documented in docs/attendance.md, each tested).</summary>
public static class AttendanceLimits
{
    /// <summary>Rows in one monthly report: more registered children than any one school or nursery holds.</summary>
    public const int MaxRows = 200;

    /// <summary>A row's notes, in the characters a person sees.</summary>
    public const int MaxNotesLength = 1000;

    /// <summary>The staff named for one agency's list.</summary>
    public const int MaxStaff = 20;

    /// <summary>Closed days (or open weekend days) in one fiscal year's calendar.</summary>
    public const int MaxCalendarDays = 366;

    /// <summary>Dates in one mid-month absence notice.</summary>
    public const int MaxNoticeDates = 31;

    /// <summary>How far back a mid-month absence notice may reach.</summary>
    public const int MaxNoticeAgeDays = 62;

    /// <summary>The request body of a monthly report.</summary>
    public const int MaxReportBodyBytes = 512 * 1024;

    /// <summary>The request body of everything else.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The national rule (joint notice of 2019-02-28): this many consecutive school days absent.</summary>
    public const int AlertRun = 7;
}
