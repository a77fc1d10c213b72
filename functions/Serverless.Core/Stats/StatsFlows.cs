using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Entries;

namespace Serverless.Stats;

/// <summary>A month's (or a period's summed) counters as the API shows them, every breakdown complete.</summary>
public static class StatsFlows
{
    public static StatsFlow Of(IReadOnlyDictionary<string, long> counts)
    {
        var byAgencyKind = StatsMeasures.Breakdown<AgencyKind>(counts, kind => StatsMeasures.ReportsByAgencyKind(kind));
        byAgencyKind[StatsMeasures.Unknown] = counts.GetValueOrDefault(StatsMeasures.ReportsByAgencyKind(null));
        return new StatsFlow(
            counts.GetValueOrDefault(StatsMeasures.Opened),
            counts.GetValueOrDefault(StatsMeasures.Registered),
            counts.GetValueOrDefault(StatsMeasures.Closed),
            StatsMeasures.Breakdown<ClosureOutcome>(counts, StatsMeasures.ClosedBy),
            counts.GetValueOrDefault(StatsMeasures.Reports),
            byAgencyKind,
            StatsMeasures.Breakdown<ReportKind>(counts, StatsMeasures.ReportsByKind));
    }
}
