using Microsoft.Extensions.Time.Testing;
using Serverless.Time;

namespace Serverless.Tests.Time;

public sealed class JapanTimeTests
{
    [Fact]
    public void TodayIsTheDateInTokyoNotInUtc()
    {
        // 15:30 UTC on 25 November is 00:30 on 26 November in Japan.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 15, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 11, 26), JapanTime.Today(clock));
        Assert.Equal(TimeSpan.FromHours(9), JapanTime.Now(clock).Offset);
    }

    [Fact]
    public void TodayJustBeforeMidnightInTokyoIsStillThatDay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 14, 59, 59, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 11, 25), JapanTime.Today(clock));
    }

    [Fact]
    public void StartOfDayIsMidnightInTokyo()
    {
        var start = JapanTime.StartOfDay(new DateOnly(2026, 4, 1));

        Assert.Equal(new DateTimeOffset(2026, 3, 31, 15, 0, 0, TimeSpan.Zero), start.ToUniversalTime());
    }
}
