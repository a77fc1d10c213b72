using Serverless.Referrals;
using Serverless.Validation;

namespace Serverless.Stats;

/// <summary>The query of <c>GET /api/stats</c> as sent: the period (as for the referral counts), <c>format</c> and
/// <c>suppressSmallCounts</c>.</summary>
public sealed record StatsQuery(ReferralPeriodQuery Period, string? Format, string? SuppressSmallCounts)
{
    /// <summary>Whether the query asks for a file (the audit action depends on it, decided before anything is read).</summary>
    public bool AsksForFile => Format is "xlsx" or "csv";
}

public enum StatsFormat
{
    Json,
    Xlsx,
    Csv,
}

/// <summary>What a valid query asks for: a period of whole months (at most <see cref="ReferralPeriod.MaxDays"/> days,
/// so at most 12 months), a format, and whether small counts are suppressed (files only).</summary>
public sealed record StatsRequest(ReferralPeriod Period, StatsFormat Format, bool SuppressSmallCounts)
{
    public static (StatsRequest? Request, IReadOnlyList<ValidationError> Errors) Parse(StatsQuery query)
    {
        var (period, periodErrors) = ReferralPeriod.Parse(query.Period);
        var errors = new List<ValidationError>(periodErrors);
        if (period is not null)
        {
            if (period.From.Day != 1)
            {
                errors.Add(new ValidationError("$.from", FieldRules.WholeMonths));
            }

            if (period.To != StatsMonth.Of(period.To).LastDay)
            {
                errors.Add(new ValidationError("$.to", FieldRules.WholeMonths));
            }
        }

        StatsFormat? format = string.IsNullOrEmpty(query.Format) ? StatsFormat.Json : query.Format switch
        {
            "json" => StatsFormat.Json,
            "xlsx" => StatsFormat.Xlsx,
            "csv" => StatsFormat.Csv,
            _ => null,
        };
        if (format is null)
        {
            errors.Add(new ValidationError("$.format", FieldRules.InvalidValue));
        }

        bool? suppress = string.IsNullOrEmpty(query.SuppressSmallCounts) ? false : query.SuppressSmallCounts switch
        {
            "true" => true,
            "false" => false,
            _ => null,
        };
        if (suppress is null)
        {
            errors.Add(new ValidationError("$.suppressSmallCounts", FieldRules.InvalidValue));
        }
        else if (suppress.Value && format == StatsFormat.Json)
        {
            // JSON counts are numbers; "1-2" is text, for the files that leave the council.
            errors.Add(new ValidationError("$.suppressSmallCounts", FieldRules.FilesOnly));
        }

        return errors.Count > 0 ? (null, errors) : (new StatsRequest(period!, format!.Value, suppress!.Value), errors);
    }
}
