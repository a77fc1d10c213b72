using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Exports;

namespace Serverless.Stats;

/// <summary>
/// The counts as one sheet for Excel: 区分 (section), 項目 (item), one column per month, then 期間計 (the period). The
/// snapshot and referral rows fill only the period column. With <c>suppress</c>, every count of 1 or 2 is shown as
/// <see cref="SmallCounts.Shown"/>; hours are not counts and stay as they are.
/// </summary>
public static class StatsSheet
{
    public const string Name = "集計";

    public static ExportSheet Build(CouncilStats stats, bool suppress, IReadOnlyDictionary<string, Agency> agencies)
    {
        var header = new List<string> { "区分", "項目" };
        header.AddRange(stats.Months.Select(month => month.Month));
        header.Add("期間計");
        var rows = new List<IReadOnlyList<ExportCell>>();
        var months = stats.Months.Count;

        void Flow(string section, string item, Func<StatsFlow, long> of)
        {
            var row = new List<ExportCell> { section, item };
            row.AddRange(stats.Months.Select(month => SmallCounts.Cell(of(month.Counts), suppress)));
            row.Add(SmallCounts.Cell(of(stats.Totals), suppress));
            rows.Add(row);
        }

        void Single(string section, string item, ExportCell value)
        {
            var row = new List<ExportCell> { section, item };
            row.AddRange(Enumerable.Repeat(ExportCell.Empty, months));
            row.Add(value);
            rows.Add(row);
        }

        void Breakdown(string section, IReadOnlyDictionary<string, long> counts, Func<string, string> label)
        {
            foreach (var (name, count) in counts)
            {
                Single(section, label(name), SmallCounts.Cell(count, suppress));
            }
        }

        Flow("ケース", "受理", flow => flow.Opened);
        Flow("ケース", "登録", flow => flow.Registered);
        Flow("ケース", "終結", flow => flow.Closed);
        foreach (var outcome in stats.Totals.ClosuresByOutcome.Keys)
        {
            Flow("終結理由", StatsLabels.OfName<ClosureOutcome>(outcome, StatsLabels.Of), flow => flow.ClosuresByOutcome[outcome]);
        }

        Flow("情報提供", "合計", flow => flow.Reports);
        foreach (var kind in stats.Totals.ReportsByAgencyKind.Keys)
        {
            Flow("情報提供（機関種別）", StatsLabels.OfName<AgencyKind>(kind, StatsLabels.Of), flow => flow.ReportsByAgencyKind[kind]);
        }

        foreach (var kind in stats.Totals.ReportsByKind.Keys)
        {
            Flow("情報提供（種類）", StatsLabels.OfName<ReportKind>(kind, StatsLabels.Of), flow => flow.ReportsByKind[kind]);
        }

        var cases = stats.Cases;
        Single("現在のケース", "終結していないケース", SmallCounts.Cell(cases.Open, suppress));
        Breakdown("現在のケース（状態）", cases.ByStatus, name => StatsLabels.OfName<CaseStatus>(name, StatsLabels.Of));
        Breakdown("現在のケース（種別）", cases.ByCategory, name => StatsLabels.OfName<CaseCategory>(name, StatsLabels.Of));
        Breakdown("現在のケース（リスク）", cases.ByRiskLevel, name => StatsLabels.OfName<RiskLevel>(name, StatsLabels.Of));
        Breakdown("現在のケース（主たる虐待種別）", cases.ByPrimaryAbuseType, name => StatsLabels.OfName<AbuseType>(name, StatsLabels.Of));
        Breakdown("現在のケース（主担当機関）", cases.ByLeadAgency, id => agencies.TryGetValue(id, out var agency) ? agency.Name : id);
        Breakdown("現在のケース（年齢区分）", cases.ByAgeBand, name => StatsLabels.OfName<AgeBand>(name, AgeBands.Japanese));

        var referrals = stats.Referrals;
        Single("通告・相談", "受付", SmallCounts.Cell(referrals.Received, suppress));
        Single("通告・相談", "虐待通告", SmallCounts.Cell(referrals.AbuseReports, suppress));
        Single("通告・相談", "安全確認（期限内）", SmallCounts.Cell(referrals.WithinLimit, suppress));
        Single("通告・相談", "安全確認までの時間（中央値、時間）", referrals.MedianHoursToConfirmation is { } hours ? ExportCell.Of(hours) : ExportCell.Empty);
        return new ExportSheet(Name, header, rows);
    }
}
