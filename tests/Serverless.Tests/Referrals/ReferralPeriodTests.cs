using Serverless.Referrals;
using Serverless.Validation;

namespace Serverless.Tests.Referrals;

/// <summary>The period of the counts: from and to (both included) or a fiscal year; every bad field named.</summary>
public sealed class ReferralPeriodTests
{
    [Fact]
    public void AFiscalYearRunsFromTheFirstOfAprilToTheThirtyFirstOfMarchInJapan()
    {
        var period = Parsed(null, null, "2025");

        Assert.Equal(new ReferralPeriod(new DateOnly(2025, 4, 1), new DateOnly(2026, 3, 31), 2025), period);
        Assert.Equal(new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.FromHours(9)), period.StartsAt);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(9)), period.EndsBefore);
    }

    [Fact]
    public void ADateRangeIncludesItsLastDayAndMaySpanAYearOf366Days()
    {
        Assert.Equal(new ReferralPeriod(new DateOnly(2025, 6, 16), new DateOnly(2025, 6, 16)), Parsed("2025-06-16", "2025-06-16", null));
        Assert.Equal(new DateTimeOffset(2025, 6, 17, 0, 0, 0, TimeSpan.FromHours(9)), Parsed("2025-06-16", "2025-06-16", null).EndsBefore);
        Assert.Equal(new DateOnly(2026, 4, 1), Parsed("2025-04-01", "2026-04-01", null).To); // 366 days
        Assert.Equal(new DateOnly(2028, 3, 31), Parsed("2027-04-01", "2028-03-31", null).To); // fiscal year 2027 has 29 February: 366 days
    }

    [Fact]
    public void APeriodOf367DaysIsRefusedWithTheLastDayAllowed()
    {
        var errors = Errors("2025-04-01", "2026-04-02", null);

        var error = Assert.Single(errors);
        Assert.Equal(("$.to", FieldRules.OutOfRange, "2025-04-01", "2026-04-01"), (error.Field, error.Code, error.Arguments!["min"], error.Arguments["max"]));
        Assert.Equal("2025-04-01から2026-04-01の範囲で指定してください。", FieldRules.Message(error, english: false));
    }

    [Fact]
    public void AnEndBeforeTheStartIsADateOrderError()
        => Assert.Equal([new ValidationError("$.to", FieldRules.DateOrder)], Errors("2025-06-16", "2025-06-15", null));

    [Fact]
    public void NeitherAPeriodNorAFiscalYearOrBothIsRefused()
    {
        Assert.Equal([new ValidationError("$.fiscalYear", FieldRules.PeriodOrFiscalYear)], Errors(null, null, null));
        Assert.Equal([new ValidationError("$.fiscalYear", FieldRules.PeriodOrFiscalYear)], Errors("", "", ""));
        Assert.Equal([new ValidationError("$.fiscalYear", FieldRules.PeriodOrFiscalYear)], Errors("2025-04-01", null, "2025"));
        Assert.Equal([new ValidationError("$.fiscalYear", FieldRules.PeriodOrFiscalYear)], Errors("2025-04-01", "2026-03-31", "2025"));
    }

    [Fact]
    public void EachBadDateIsNamedAndAMissingEndIsRequired()
    {
        Assert.Equal([new ValidationError("$.to", FieldRules.Required)], Errors("2025-04-01", null, null));
        Assert.Equal([new ValidationError("$.from", FieldRules.Required)], Errors(null, "2025-04-01", null));
        Assert.Equal(
            [new ValidationError("$.from", FieldRules.InvalidValue), new ValidationError("$.to", FieldRules.InvalidValue)],
            Errors("2025/04/01", "2025-02-30", null));
        Assert.Equal([new ValidationError("$.from", FieldRules.InvalidValue)], Errors("2025-04-01,2025-05-01", "2025-06-01", null)); // a repeated parameter
        var early = Assert.Single(Errors("1999-12-31", "2000-01-01", null));
        Assert.Equal(("$.from", FieldRules.OutOfRange, "2000-01-01", "2100-12-31"), (early.Field, early.Code, early.Arguments!["min"], early.Arguments["max"]));
        Assert.Equal("$.to", Assert.Single(Errors("2100-12-31", "9999-12-31", null)).Field); // the day after the last would not exist
    }

    [Fact]
    public void AFiscalYearIsAWholeYearFrom2000To2099()
    {
        Assert.Equal([new ValidationError("$.fiscalYear", FieldRules.InvalidValue)], Errors(null, null, "2025.5"));
        Assert.Equal([new ValidationError("$.fiscalYear", FieldRules.InvalidValue)], Errors(null, null, "-2025"));
        var late = Assert.Single(Errors(null, null, "2100"));
        Assert.Equal(("$.fiscalYear", FieldRules.OutOfRange, "2000", "2099"), (late.Field, late.Code, late.Arguments!["min"], late.Arguments["max"]));
        Assert.Equal(2099, Parsed(null, null, "2099").FiscalYear);
    }

    private static ReferralPeriod Parsed(string? from, string? to, string? fiscalYear)
    {
        var (period, errors) = ReferralPeriod.Parse(new ReferralPeriodQuery(from, to, fiscalYear));
        Assert.Empty(errors);
        return period!;
    }

    private static IReadOnlyList<ValidationError> Errors(string? from, string? to, string? fiscalYear)
    {
        var (period, errors) = ReferralPeriod.Parse(new ReferralPeriodQuery(from, to, fiscalYear));
        Assert.Null(period);
        return errors;
    }
}
