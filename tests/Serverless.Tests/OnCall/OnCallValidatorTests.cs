using Serverless.DevHost;
using Serverless.OnCall;
using Serverless.Validation;

namespace Serverless.Tests.OnCall;

/// <summary>The schedule's limits and shapes, field by field (the API tests show the same errors over HTTP).</summary>
public sealed class OnCallValidatorTests
{
    private static readonly string Sato = DemoPeople.PersonId("coordinator-sato");

    /// <summary>09:00 on Monday 16 June 2025 in Japan.</summary>
    private static readonly DateTimeOffset Now = new(2025, 6, 16, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Today = new(2025, 6, 16);

    private static WeeklySlot Slot(params string[] people) => new() { Day = Weekday.Monday, From = "09:00", To = "17:30", PersonIds = people };

    private static IEnumerable<(string Field, string Code)> Errors(OnCallSchedule schedule, IReadOnlySet<string> coordinators)
        => OnCallValidator.Validate(schedule, Now, coordinators).Select(error => (error.Field, error.Code));

    [Fact]
    public void AtMost50WeeklySlots366ExceptionsAnd20PeopleEach()
    {
        var twentyOne = Enumerable.Range(0, 21).Select(n => "p-" + n.ToString("D24", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var coordinators = twentyOne.Append(Sato).ToHashSet(StringComparer.Ordinal);
        var atLimit = new OnCallSchedule
        {
            Weekly = [.. Enumerable.Repeat(Slot(Sato), OnCallLimits.WeeklySlots - 1), Slot(twentyOne[..20])],
            Exceptions = [.. Enumerable.Range(0, OnCallLimits.Exceptions).Select(n => new OnCallException { Date = Today.AddDays(n), PersonIds = [Sato] })],
        };
        var overLimit = atLimit with
        {
            Weekly = [.. atLimit.Weekly, Slot(twentyOne)],
            Exceptions = [.. atLimit.Exceptions, new OnCallException { Date = Today, Note = new string('当', OnCallLimits.Note + 1) }],
        };

        Assert.Empty(Errors(atLimit, coordinators));
        Assert.Equal(
            [
                ("$.weekly", FieldRules.TooMany),
                ("$.exceptions", FieldRules.TooMany),
                ("$.weekly[50].personIds", FieldRules.TooMany),
                ("$.exceptions[366].note", FieldRules.TooLong),
            ],
            Errors(overLimit, coordinators));
    }

    [Theory]
    [InlineData("9:00")]
    [InlineData("24:00")]
    [InlineData("12:60")]
    [InlineData("12:00:00")]
    [InlineData("")]
    [InlineData("１２:００")]
    public void TimesAreTwoDigitHoursAndMinutesOfOneDay(string time)
    {
        var schedule = new OnCallSchedule
        {
            Weekly = [Slot(Sato) with { From = time }],
            Exceptions = [new OnCallException { Date = Today, From = "12:00", To = time }],
        };

        Assert.Equal([("$.weekly[0].from", FieldRules.InvalidValue), ("$.exceptions[0].to", FieldRules.InvalidValue)], Errors(schedule, new HashSet<string> { Sato }));
    }

    [Fact]
    public void ANoteIsOneLineAndNullEntriesAreRequired()
    {
        var schedule = new OnCallSchedule
        {
            Weekly = [null!],
            Exceptions = [null!, new OnCallException { Date = Today, PersonIds = [null!], Note = "交代\n理由" }],
        };

        Assert.Equal(
            [
                ("$.weekly[0]", FieldRules.Required),
                ("$.exceptions[0]", FieldRules.Required),
                ("$.exceptions[1].note", FieldRules.ControlCharacters),
                ("$.exceptions[1].personIds[0]", FieldRules.InvalidId),
            ],
            Errors(schedule, new HashSet<string> { Sato }));
    }
}
