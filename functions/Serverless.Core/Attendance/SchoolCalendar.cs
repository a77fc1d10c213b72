namespace Serverless.Attendance;

/// <summary>
/// One agency's calendar for one fiscal year (年度, April to March): the days it is closed (休業日: national holidays,
/// vacations, the founding day) and the weekend days it is open (a Saturday school event). Saturdays and Sundays are
/// closed unless listed as open; every other day is a school day unless listed as closed. No holidays are built in:
/// the agency's calendar lists them, because closures differ by school and nursery.
/// </summary>
public sealed record SchoolCalendar(int FiscalYear, IReadOnlySet<DateOnly> ClosedDays, IReadOnlySet<DateOnly> OpenDays)
{
    public static SchoolCalendar Default(int fiscalYear) => new(fiscalYear, new HashSet<DateOnly>(), new HashSet<DateOnly>());

    /// <summary>The fiscal year a day belongs to: 2025 runs from 2025-04-01 to 2026-03-31.</summary>
    public static int FiscalYearOf(DateOnly day) => day.Month >= 4 ? day.Year : day.Year - 1;

    public static DateOnly FirstDay(int fiscalYear) => new(fiscalYear, 4, 1);

    public static DateOnly LastDay(int fiscalYear) => new(fiscalYear + 1, 3, 31);

    public bool IsSchoolDay(DateOnly day)
        => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? OpenDays.Contains(day) : !ClosedDays.Contains(day);
}

/// <summary>The calendars of one agency, by fiscal year; a year the agency has not set is the default (weekends closed).</summary>
public sealed class SchoolCalendars(IReadOnlyDictionary<int, SchoolCalendar> years)
{
    public bool IsSchoolDay(DateOnly day)
    {
        var year = SchoolCalendar.FiscalYearOf(day);
        return (years.TryGetValue(year, out var calendar) ? calendar : SchoolCalendar.Default(year)).IsSchoolDay(day);
    }
}

/// <summary>A run of consecutive school days absent: its first and last school day and how many school days it holds.</summary>
public sealed record AbsenceRun(DateOnly First, DateOnly Last, int SchoolDays);

/// <summary>
/// The 7-day rule's arithmetic. Absences on days the agency is closed neither count nor break a run; a school day the
/// child was not absent ends it. Runs cross month and fiscal-year ends.
/// </summary>
public static class AbsenceRuns
{
    public static IReadOnlyList<AbsenceRun> Of(IEnumerable<DateOnly> absentDays, SchoolCalendars calendars)
    {
        var days = absentDays.Where(calendars.IsSchoolDay).Distinct().Order().ToList();
        var runs = new List<AbsenceRun>();
        var i = 0;
        while (i < days.Count)
        {
            var first = days[i];
            var count = 1;
            while (i + count < days.Count && NoSchoolDayBetween(days[i + count - 1], days[i + count], calendars))
            {
                count++;
            }

            runs.Add(new AbsenceRun(first, days[i + count - 1], count));
            i += count;
        }

        return runs;
    }

    /// <summary>The longest run, or null when no school day was missed.</summary>
    public static AbsenceRun? Longest(IEnumerable<DateOnly> absentDays, SchoolCalendars calendars)
        => Of(absentDays, calendars).OrderByDescending(run => run.SchoolDays).ThenBy(run => run.First).FirstOrDefault();

    private static bool NoSchoolDayBetween(DateOnly earlier, DateOnly later, SchoolCalendars calendars)
    {
        for (var day = earlier.AddDays(1); day < later; day = day.AddDays(1))
        {
            if (calendars.IsSchoolDay(day))
            {
                return false;
            }
        }

        return true;
    }
}
