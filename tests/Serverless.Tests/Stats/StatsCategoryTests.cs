using Serverless.Exports;
using Serverless.Stats;

namespace Serverless.Tests.Stats;

public sealed class StatsCategoryTests
{
    [Theory]
    [InlineData(0, false, "0")]
    [InlineData(1, true, "1-2")]
    [InlineData(2, true, "1-2")]
    [InlineData(3, true, "3")]
    [InlineData(0, true, "0")]
    [InlineData(1, false, "1")]
    public void CountsOfOneOrTwoAreShownAsOneToTwoOnlyWhenSuppressed(long count, bool suppress, string shown)
    {
        var cell = SmallCounts.Cell(count, suppress);

        Assert.Equal(shown, cell.Kind == ExportCellKind.Text ? cell.Text : cell.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(suppress && count is 1 or 2 ? ExportCellKind.Text : ExportCellKind.Number, cell.Kind);
    }

    [Theory]
    [InlineData("2024-01-10", "2026-12-05", AgeBand.UnderThree)]
    [InlineData("2023-12-05", "2026-12-05", AgeBand.Preschool)]
    // Born 2 April 2019: enters school in April 2026 (first grade); born 1 April 2020 also enters in April 2026.
    [InlineData("2019-04-02", "2026-04-01", AgeBand.Elementary)]
    [InlineData("2019-04-02", "2026-03-31", AgeBand.Preschool)]
    [InlineData("2020-04-01", "2026-04-01", AgeBand.Elementary)]
    [InlineData("2020-04-02", "2026-04-01", AgeBand.Preschool)]
    [InlineData("2013-04-02", "2026-03-31", AgeBand.Elementary)]
    [InlineData("2013-04-02", "2026-04-01", AgeBand.JuniorHigh)]
    [InlineData("2010-04-02", "2026-04-01", AgeBand.HighSchoolAndOlder)]
    public void AgeBandsFollowTheSchoolYearAsTheNationalFiguresCountThem(string born, string on, AgeBand band)
        => Assert.Equal(band, AgeBands.On(DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void AnUnknownOrFutureBirthDateIsTheUnknownBand()
    {
        Assert.Equal(AgeBand.Unknown, AgeBands.On(null, new DateOnly(2026, 12, 5)));
        Assert.Equal(AgeBand.Unknown, AgeBands.On(new DateOnly(2027, 1, 1), new DateOnly(2026, 12, 5)));
        Assert.Equal("不明", AgeBands.Japanese(AgeBand.Unknown));
    }
}
