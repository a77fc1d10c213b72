using System.Globalization;
using Serverless.Time;

namespace Serverless.Stats;

/// <summary>A calendar month in Japan, the unit the counters are kept in.</summary>
public readonly record struct StatsMonth(int Year, int Month)
{
    /// <summary><c>yyyyMM</c>, as the partition names it.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}{Month:D2}");

    /// <summary><c>yyyy-MM</c>, as the API names it.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    public static StatsMonth Of(DateOnly day) => new(day.Year, day.Month);

    /// <summary>The Japan month an instant falls in.</summary>
    public static StatsMonth Of(DateTimeOffset instant) => Of(JapanTime.DateOf(instant));

    /// <summary>Every month from the one of <paramref name="from"/> to the one of <paramref name="to"/>, in order.</summary>
    public static IReadOnlyList<StatsMonth> Between(DateOnly from, DateOnly to)
    {
        var months = new List<StatsMonth>();
        for (var day = new DateOnly(from.Year, from.Month, 1); day <= to; day = day.AddMonths(1))
        {
            months.Add(Of(day));
        }

        return months;
    }
}
