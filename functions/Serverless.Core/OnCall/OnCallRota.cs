using Serverless.Time;

namespace Serverless.OnCall;

/// <summary>
/// Who the schedule puts on call at an instant, decided on Japan's wall clock (Japan keeps no daylight saving,
/// so a span of wall-clock time is that long in absolute time). Pure: no storage, no clock.
/// </summary>
public static class OnCallRota
{
    /// <summary>
    /// The people scheduled at <paramref name="at"/>, in schedule order, each once. The exceptions covering the
    /// instant decide alone when there is one (their people together; none when they name nobody); otherwise the
    /// weekly slots running then, one that started the day before and runs past midnight included.
    /// </summary>
    public static IReadOnlyList<string> ScheduledAt(OnCallSchedule schedule, DateTimeOffset at)
    {
        var local = JapanTime.ToJapan(at).DateTime;
        var exceptions = schedule.Exceptions.Where(exception => Covers(Span(exception), local)).ToList();
        var people = exceptions.Count > 0
            ? exceptions.SelectMany(exception => exception.PersonIds)
            : schedule.Weekly.Where(slot => Covers(slot, local)).SelectMany(slot => slot.PersonIds);
        return [.. people.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True once the whole exception lies before <paramref name="now"/>: it can no longer decide anything.</summary>
    public static bool HasEnded(OnCallException exception, DateTimeOffset now)
        => Span(exception).End <= JapanTime.ToJapan(now).DateTime;

    /// <summary>The Japan wall-clock span an exception covers: the whole day, or from its <c>from</c> to its <c>to</c>.</summary>
    public static (DateTime Start, DateTime End) Span(OnCallException exception)
    {
        var day = exception.Date.ToDateTime(TimeOnly.MinValue);
        return exception.From is { } from && exception.To is { } to ? Span(day, from, to) : (day, day.AddDays(1));
    }

    /// <summary>The slot's run that starts on the instant's day, or the one that started the day before.</summary>
    private static bool Covers(WeeklySlot slot, DateTime local)
        => new[] { local.Date, local.Date.AddDays(-1) }.Any(day => (Weekday)day.DayOfWeek == slot.Day && Covers(Span(day, slot.From, slot.To), local));

    /// <summary>From <paramref name="from"/> on <paramref name="day"/> to <paramref name="to"/>, on the next day when it is not after <paramref name="from"/>.</summary>
    private static (DateTime Start, DateTime End) Span(DateTime day, string from, string to)
    {
        var start = OnCallTimes.Parse(from);
        var end = OnCallTimes.Parse(to);
        return (day + start.ToTimeSpan(), (end > start ? day : day.AddDays(1)) + end.ToTimeSpan());
    }

    private static bool Covers((DateTime Start, DateTime End) span, DateTime local) => span.Start <= local && local < span.End;
}
