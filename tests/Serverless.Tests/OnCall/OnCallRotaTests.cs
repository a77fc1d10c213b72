using Serverless.OnCall;

namespace Serverless.Tests.OnCall;

/// <summary>
/// Who the schedule puts on call at an instant, decided on Japan's clock. Instants are given in UTC on
/// purpose: 15:00 UTC is already the next day in Japan. 16 June 2025 is a Monday.
/// </summary>
public sealed class OnCallRotaTests
{
    private const string Sato = "p-00000000000000000000sato";
    private const string Mori = "p-00000000000000000000mori";
    private const string Ito = "p-000000000000000000000ito";

    private static readonly DateOnly Monday = new(2025, 6, 16);

    /// <summary>The instant it is <paramref name="time"/> on <paramref name="date"/> in Japan (UTC+9, no daylight saving).</summary>
    private static DateTimeOffset Japan(DateOnly date, string time)
        => new DateTimeOffset(date.ToDateTime(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromHours(9)).ToUniversalTime();

    private static WeeklySlot Slot(Weekday day, string from, string to, params string[] people)
        => new() { Day = day, From = from, To = to, PersonIds = people };

    private static OnCallSchedule Weekly(params WeeklySlot[] slots) => new() { Weekly = slots, Exceptions = [] };

    [Theory]
    [InlineData("08:59", false)]
    [InlineData("09:00", true)]
    [InlineData("17:29", true)]
    [InlineData("17:30", false)]
    public void AWeeklySlotCoversItsDayFromItsStartUpToItsEnd(string time, bool covered)
    {
        var schedule = Weekly(Slot(Weekday.Monday, "09:00", "17:30", Sato));

        Assert.Equal(covered ? new[] { Sato } : [], OnCallRota.ScheduledAt(schedule, Japan(Monday, time)));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(1), time))); // Tuesday is not Monday
    }

    [Fact]
    public void ASlotWhoseEndIsNotAfterItsStartRunsPastMidnightIntoTheNextDay()
    {
        var friday = Monday.AddDays(4);
        var schedule = Weekly(Slot(Weekday.Friday, "17:30", "08:30", Mori));

        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(friday, "17:29")));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(friday, "17:30")));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(friday, "23:59")));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(friday.AddDays(1), "00:00")));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(friday.AddDays(1), "08:29")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(friday.AddDays(1), "08:30")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(friday.AddDays(1), "20:00"))); // Saturday evening is no Friday slot
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(friday, "03:00"))); // Thursday night is no Friday slot either
    }

    [Fact]
    public void SundaysOvernightSlotRunsIntoMondayMorning()
    {
        var schedule = Weekly(Slot(Weekday.Sunday, "17:30", "08:30", Mori));

        // 15:30 UTC on Sunday 15 June is 00:30 on Monday 16 June in Japan.
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, new DateTimeOffset(2025, 6, 15, 15, 30, 0, TimeSpan.Zero)));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(Monday, "08:29")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday, "08:30")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(-1), "03:00"))); // Saturday night into Sunday
    }

    [Fact]
    public void ASlotEndingAtMidnightEndsAtTheStartOfTheNextDayAndOneWithEqualEndsLastsADay()
    {
        var schedule = Weekly(Slot(Weekday.Monday, "20:00", "00:00", Sato), Slot(Weekday.Wednesday, "09:00", "09:00", Mori));

        Assert.Equal([Sato], OnCallRota.ScheduledAt(schedule, Japan(Monday, "23:59")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(1), "00:00")));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(3), "08:59")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(3), "09:00")));
    }

    [Fact]
    public void OverlappingSlotsPutTheirPeopleTogetherEachOnceInScheduleOrder()
    {
        var schedule = Weekly(Slot(Weekday.Monday, "09:00", "17:30", Sato, Mori), Slot(Weekday.Monday, "12:00", "13:00", Ito, Sato));

        Assert.Equal([Sato, Mori, Ito], OnCallRota.ScheduledAt(schedule, Japan(Monday, "12:30")));
    }

    [Fact]
    public void AnExceptionCoveringTheInstantReplacesTheWeeklyScheduleThenAndOnlyThen()
    {
        var schedule = new OnCallSchedule
        {
            Weekly = [Slot(Weekday.Monday, "09:00", "17:30", Sato)],
            Exceptions = [new OnCallException { Date = Monday, From = "13:00", To = "15:00", PersonIds = [Mori], Note = "研修のため交代" }],
        };

        Assert.Equal([Sato], OnCallRota.ScheduledAt(schedule, Japan(Monday, "12:59")));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(Monday, "13:00")));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(Monday, "14:59")));
        Assert.Equal([Sato], OnCallRota.ScheduledAt(schedule, Japan(Monday, "15:00")));
        Assert.Equal([Sato], OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(7), "14:00"))); // a week later the slot is back
    }

    [Fact]
    public void AWholeDayExceptionWithNobodyLeavesNobodyOnCallThatDayEvenWhereTheWeekAndItsOwnOvernightSlotSaySomeone()
    {
        var schedule = new OnCallSchedule
        {
            Weekly = [Slot(Weekday.Sunday, "17:30", "08:30", Mori), Slot(Weekday.Monday, "09:00", "17:30", Sato)],
            Exceptions = [new OnCallException { Date = Monday, PersonIds = [] }],
        };

        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday, "00:00")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday, "10:00")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday, "23:59")));
        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(-1), "23:00"))); // Sunday evening is not the exception's day
        Assert.Equal([Sato], OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(7), "10:00")));
    }

    [Fact]
    public void AnOvernightExceptionRunsIntoTheNextMorningAndOverlappingExceptionsPutTheirPeopleTogether()
    {
        var schedule = new OnCallSchedule
        {
            Weekly = [Slot(Weekday.Monday, "17:30", "08:30", Sato)],
            Exceptions =
            [
                new OnCallException { Date = Monday, From = "17:30", To = "08:30", PersonIds = [Mori] },
                new OnCallException { Date = Monday.AddDays(1), From = "07:00", To = "09:00", PersonIds = [Ito, Mori] },
            ],
        };

        Assert.Equal([Mori], OnCallRota.ScheduledAt(schedule, Japan(Monday, "23:00")));
        Assert.Equal([Mori, Ito], OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(1), "07:30")));
        Assert.Equal([Ito, Mori], OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(1), "08:30")));
        Assert.Empty(OnCallRota.ScheduledAt(schedule, Japan(Monday.AddDays(1), "09:00")));
    }

    [Fact]
    public void AnEmptyScheduleHasNobodyOnCall()
        => Assert.Empty(OnCallRota.ScheduledAt(new OnCallSchedule { Weekly = [], Exceptions = [] }, Japan(Monday, "12:00")));

    [Fact]
    public void AnExceptionHasEndedOnlyOnceItsWholeSpanIsPast()
    {
        var wholeDay = new OnCallException { Date = Monday };
        var overnight = new OnCallException { Date = Monday, From = "17:30", To = "08:30" };

        Assert.False(OnCallRota.HasEnded(wholeDay, Japan(Monday, "23:59")));
        Assert.True(OnCallRota.HasEnded(wholeDay, Japan(Monday.AddDays(1), "00:00")));
        Assert.False(OnCallRota.HasEnded(overnight, Japan(Monday.AddDays(1), "08:29")));
        Assert.True(OnCallRota.HasEnded(overnight, Japan(Monday.AddDays(1), "08:30")));
    }
}
