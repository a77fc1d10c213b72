using System.Globalization;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Referrals;

/// <summary>The query of <c>GET /api/stats/referrals</c> as sent: <c>from</c> and <c>to</c>, or <c>fiscalYear</c>.</summary>
public sealed record ReferralPeriodQuery(string? From, string? To, string? FiscalYear);

/// <summary>
/// A period of receipt dates in Japan, both ends included (<c>from=2025-04-01&amp;to=2026-03-31</c> is fiscal year 2025),
/// at most <see cref="MaxDays"/> days: a year, as the national figures are, a leap year's included.
/// <see cref="FiscalYear"/> is set when the period was asked for as one (年度: April to March).
/// </summary>
public sealed record ReferralPeriod(DateOnly From, DateOnly To, int? FiscalYear = null)
{
    public const int MaxDays = 366;

    public static readonly DateOnly Earliest = new(2000, 1, 1);

    public static readonly DateOnly Latest = new(2100, 12, 31);

    public const int EarliestFiscalYear = 2000;

    public const int LatestFiscalYear = 2099;

    /// <summary>The first instant of the period (00:00 in Japan on <see cref="From"/>).</summary>
    public DateTimeOffset StartsAt => JapanTime.StartOfDay(From);

    /// <summary>The first instant after it (00:00 in Japan on the day after <see cref="To"/>).</summary>
    public DateTimeOffset EndsBefore => JapanTime.StartOfDay(To.AddDays(1));

    /// <summary>Whether <paramref name="receivedAt"/> falls in the period.</summary>
    public bool Contains(DateTimeOffset receivedAt) => receivedAt >= StartsAt && receivedAt < EndsBefore;

    /// <summary>Fiscal year <paramref name="year"/>: 1 April <paramref name="year"/> to 31 March of the next year.</summary>
    public static ReferralPeriod OfFiscalYear(int year) => new(new DateOnly(year, 4, 1), new DateOnly(year + 1, 3, 31), year);

    /// <summary>The fiscal year (年度) a Japan date belongs to: January to March belong to the year before.</summary>
    public static int FiscalYearOf(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    /// <summary>The period the query asks for, or every field error in it.</summary>
    public static (ReferralPeriod? Period, IReadOnlyList<ValidationError> Errors) Parse(ReferralPeriodQuery query)
    {
        var errors = new List<ValidationError>();
        var (fromText, toText, yearText) = (Blank(query.From), Blank(query.To), Blank(query.FiscalYear));
        if ((yearText is not null && (fromText is not null || toText is not null)) || (yearText, fromText, toText) is (null, null, null))
        {
            errors.Add(new ValidationError("$.fiscalYear", FieldRules.PeriodOrFiscalYear));
            return (null, errors);
        }

        if (yearText is not null)
        {
            if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            {
                errors.Add(new ValidationError("$.fiscalYear", FieldRules.InvalidValue));
            }
            else if (year is < EarliestFiscalYear or > LatestFiscalYear)
            {
                errors.Add(new ValidationError("$.fiscalYear", FieldRules.OutOfRange, Range(EarliestFiscalYear.ToString(CultureInfo.InvariantCulture), LatestFiscalYear.ToString(CultureInfo.InvariantCulture))));
            }

            return errors.Count > 0 ? (null, errors) : (OfFiscalYear(year), errors);
        }

        var from = Date(fromText, "$.from", errors);
        var to = Date(toText, "$.to", errors);
        if (from is null || to is null)
        {
            return (null, errors);
        }

        if (to < from)
        {
            errors.Add(new ValidationError("$.to", FieldRules.DateOrder));
        }
        else if (to.Value.DayNumber - from.Value.DayNumber + 1 > MaxDays)
        {
            errors.Add(new ValidationError("$.to", FieldRules.OutOfRange, Range(Text(from.Value), Text(from.Value.AddDays(MaxDays - 1)))));
        }

        return errors.Count > 0 ? (null, errors) : (new ReferralPeriod(from.Value, to.Value), errors);
    }

    private static DateOnly? Date(string? text, string field, List<ValidationError> errors)
    {
        if (text is null)
        {
            errors.Add(new ValidationError(field, FieldRules.Required));
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new ValidationError(field, FieldRules.InvalidValue));
            return null;
        }

        if (date < Earliest || date > Latest)
        {
            errors.Add(new ValidationError(field, FieldRules.OutOfRange, Range(Text(Earliest), Text(Latest))));
            return null;
        }

        return date;
    }

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Range(string min, string max) => new() { ["min"] = min, ["max"] = max };
}
