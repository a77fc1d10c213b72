using Microsoft.Extensions.Time.Testing;
using Serverless.DevHost;
using Serverless.Identity.People;
using Serverless.OnCall;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.OnCall;

/// <summary>
/// Whom the referral timer tells at an instant (<see cref="OnCallService.RecipientsAtAsync"/>): the people on call
/// who are still coordinators that day, and every coordinator of that day when there are none, so an urgent notice
/// never reaches no one. The demo town has two coordinators, Sato and Mori; the clock stands at 09:00 on Monday
/// 16 June 2025 in Japan.
/// </summary>
public sealed class OnCallRecipientsTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 16, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2025, 6, 16);
    private static readonly string Sato = DemoPeople.PersonId("coordinator-sato");
    private static readonly string Mori = DemoPeople.PersonId("coordinator-mori");

    /// <summary>Both coordinators, as <see cref="PeopleDirectory.CoordinatorsOnAsync"/> finds them (in id order).</summary>
    private static readonly string[] Everyone = [.. new[] { Sato, Mori }.Order(StringComparer.Ordinal)];

    /// <summary>Sato on Monday days, Mori on Monday nights; Tuesday 24 June a holiday with nobody on call.</summary>
    private static readonly OnCallSchedule Schedule = new()
    {
        Weekly =
        [
            new WeeklySlot { Day = Weekday.Monday, From = "08:30", To = "17:30", PersonIds = [Sato] },
            new WeeklySlot { Day = Weekday.Monday, From = "17:30", To = "08:30", PersonIds = [Mori] },
        ],
        Exceptions = [new OnCallException { Date = Today.AddDays(8), PersonIds = [], Note = "臨時休庁" }],
    };

    private static DateTimeOffset Japan(DateOnly date, int hour) => new DateTimeOffset(date.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(9)).ToUniversalTime();

    /// <summary>A host with the schedule saved in its own OnCall table (as a coordinator would save it).</summary>
    private static async Task<TestHost> WithScheduleAsync(OnCallSchedule? schedule)
    {
        var host = await TestHost.StartAsync(clock: new FakeTimeProvider(Now));
        if (schedule is not null)
        {
            Assert.NotNull(await host.Get<OnCallStore>().SaveAsync(null, schedule, Sato, Now, CancellationToken.None));
        }

        return host;
    }

    [Fact]
    public async Task TheCoordinatorOnCallIsToldAndNobodyElse()
    {
        await using var host = await WithScheduleAsync(Schedule);
        var service = host.Get<OnCallService>();

        Assert.Equal([Sato], await service.RecipientsAtAsync(Japan(Today, 10), CancellationToken.None));
        Assert.Equal([Mori], await service.RecipientsAtAsync(Japan(Today, 22), CancellationToken.None));
        Assert.Equal([Mori], await service.RecipientsAtAsync(Japan(Today.AddDays(1), 3), CancellationToken.None)); // Monday night into Tuesday
    }

    [Fact]
    public async Task WithoutAScheduleEveryCoordinatorIsTold()
    {
        await using var host = await WithScheduleAsync(null);

        Assert.Equal(Everyone, await host.Get<OnCallService>().RecipientsAtAsync(Japan(Today, 10), CancellationToken.None));
    }

    [Fact]
    public async Task WhenTheScheduleHasNobodyOnCallEveryCoordinatorIsTold()
    {
        await using var host = await WithScheduleAsync(Schedule);
        var service = host.Get<OnCallService>();

        Assert.Equal(Everyone, await service.RecipientsAtAsync(Japan(Today.AddDays(1), 12), CancellationToken.None)); // Tuesday noon: no slot
        Assert.Equal(Everyone, await service.RecipientsAtAsync(Japan(Today.AddDays(8), 3), CancellationToken.None)); // the holiday: nobody, though Monday night's slot runs
    }

    [Fact]
    public async Task ACoordinatorWhoseMembershipEndedIsNoLongerToldFromTheDayAfterHerLastDay()
    {
        await using var host = await WithScheduleAsync(Schedule);
        var people = host.Get<PeopleDirectory>();
        var membership = DemoPeople.Person("coordinator-mori").Membership;
        var found = await people.FindMembershipAsync(Mori, membership.MembershipId, CancellationToken.None);
        Assert.True(await people.EndAsync(found!.Value.Membership, Today, Sato, found.Value.ETag, CancellationToken.None));
        var service = host.Get<OnCallService>();

        Assert.Equal([Mori], await service.RecipientsAtAsync(Japan(Today, 22), CancellationToken.None)); // still hers on her last day
        Assert.Equal([Sato], await service.RecipientsAtAsync(Japan(Today.AddDays(1), 3), CancellationToken.None)); // the coordinators of Tuesday: Sato alone
        Assert.Equal([Sato], await service.RecipientsAtAsync(Japan(Today.AddDays(7), 22), CancellationToken.None));
    }

    [Fact]
    public async Task OfThePeopleOnCallOnlyThoseStillCoordinatorsAreToldAndSomeoneWhoNeverWasIsIgnored()
    {
        var teacher = DemoPeople.PersonId("teacher-tanaka");
        await using var host = await WithScheduleAsync(new OnCallSchedule
        {
            Weekly =
            [
                new WeeklySlot { Day = Weekday.Monday, From = "09:00", To = "12:00", PersonIds = [teacher, Mori] },
                new WeeklySlot { Day = Weekday.Monday, From = "12:00", To = "17:00", PersonIds = [teacher] },
            ],
            Exceptions = [],
        });
        var service = host.Get<OnCallService>();

        Assert.Equal([Mori], await service.RecipientsAtAsync(Japan(Today, 10), CancellationToken.None));
        Assert.Equal(Everyone, await service.RecipientsAtAsync(Japan(Today, 13), CancellationToken.None));
    }
}
