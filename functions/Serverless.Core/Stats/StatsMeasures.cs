using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Entries;

namespace Serverless.Stats;

/// <summary>The names of the monthly counters (ids and enum names only: nothing about a child).</summary>
public static class StatsMeasures
{
    /// <summary>Cases opened (受理: the case record created, whatever its first status).</summary>
    public const string Opened = "opened";

    /// <summary>Cases that reached the status registered (登録), at creation or later; the status's name on the wire.</summary>
    public const string Registered = "registered";
    public const string Closed = "closed";
    public const string Reports = "reports";
    public const string Unknown = "unknown";

    private const string ClosedByPrefix = "closedBy.";
    private const string ByAgencyKindPrefix = "reportsByAgencyKind.";
    private const string ByReportKindPrefix = "reportsByKind.";

    public static string ClosedBy(ClosureOutcome outcome) => ClosedByPrefix + EntryRows.Name(outcome);

    /// <summary>Reports by the kind of the agency that sent them (<see cref="Unknown"/>: an agency no longer in the directory).</summary>
    public static string ReportsByAgencyKind(AgencyKind? kind) => ByAgencyKindPrefix + (kind is { } known ? EntryRows.Name(known) : Unknown);

    public static string ReportsByKind(ReportKind kind) => ByReportKindPrefix + EntryRows.Name(kind);

    /// <summary>Every value of a breakdown by its name on the wire, zeros included, in the enum's order.</summary>
    public static Dictionary<string, long> Breakdown<TEnum>(IReadOnlyDictionary<string, long> counts, Func<TEnum, string> counter)
        where TEnum : struct, Enum
        => Enum.GetValues<TEnum>().ToDictionary(value => EntryRows.Name(value), value => counts.GetValueOrDefault(counter(value)), StringComparer.Ordinal);
}
