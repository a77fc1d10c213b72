namespace Serverless.Time;

/// <summary>
/// Deadlines and "today" are decided in Japan, whatever zone the server runs in
/// (Azure runs in UTC: without this, a report sent at 08:00 in Tokyo would be dated yesterday).
/// </summary>
public static class JapanTime
{
    /// <summary>Asia/Tokyo. Japan has kept UTC+9 without daylight saving since 1951, so a fixed
    /// zone is an exact fallback where the time-zone database is missing.</summary>
    public static TimeZoneInfo Zone { get; } = FindTokyo();

    public static DateTimeOffset Now(TimeProvider clock) => ToJapan(clock.GetUtcNow());

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Now(clock).DateTime);

    public static DateTimeOffset ToJapan(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The Japan date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToJapan(instant).DateTime);

    /// <summary>The first instant of <paramref name="date"/> in Japan, as an absolute time.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date)
        => new(date.ToDateTime(TimeOnly.MinValue), Zone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue)));

    private static TimeZoneInfo FindTokyo()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Tokyo", TimeSpan.FromHours(9), "Japan Standard Time", "JST");
        }
    }
}
