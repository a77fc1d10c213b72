using Serverless.Referrals;

namespace Serverless.Stats;

/// <summary>
/// The council's counts for a period of whole months (<c>GET /api/stats</c>). Counts only: no child, person or case is
/// named (lead agencies by id). <see cref="Totals"/> and <see cref="Months"/> come from the monthly counters;
/// <see cref="Cases"/> is a snapshot of the cases as they stand at <see cref="AsOf"/>; <see cref="Referrals"/> are the
/// period's figures as <c>GET /api/stats/referrals</c> computes them.
/// </summary>
public sealed record CouncilStats(
    ReferralCountPeriod Period,
    DateTimeOffset AsOf,
    StatsFlow Totals,
    IReadOnlyList<MonthFlow> Months,
    CaseSnapshot Cases,
    ReferralFigures Referrals);

/// <summary>What happened in a month (or the period): cases opened (受理), registered (登録) and closed (終結), closures by
/// outcome, reports by the kind of the agency that sent them and by their own kind. Every breakdown lists every value,
/// zeros included.</summary>
public sealed record StatsFlow(
    long Opened,
    long Registered,
    long Closed,
    IReadOnlyDictionary<string, long> ClosuresByOutcome,
    long Reports,
    IReadOnlyDictionary<string, long> ReportsByAgencyKind,
    IReadOnlyDictionary<string, long> ReportsByKind);

/// <summary>One month of the period (<c>yyyy-MM</c>, in Japan).</summary>
public sealed record MonthFlow(string Month, StatsFlow Counts);

/// <summary>
/// The cases as they stand now: every case by status; the cases not closed (<see cref="Open"/>) by category, risk level,
/// primary abuse type (主たる虐待種別), lead agency (by id) and the child's age band today (national bands).
/// <c>unknown</c>: not recorded (no risk level, no primary abuse type, no birth date).
/// </summary>
public sealed record CaseSnapshot(
    long Open,
    IReadOnlyDictionary<string, long> ByStatus,
    IReadOnlyDictionary<string, long> ByCategory,
    IReadOnlyDictionary<string, long> ByRiskLevel,
    IReadOnlyDictionary<string, long> ByPrimaryAbuseType,
    IReadOnlyDictionary<string, long> ByLeadAgency,
    IReadOnlyDictionary<string, long> ByAgeBand);

/// <summary>The referral figures of the period: received; abuse reports, how many were confirmed within the
/// safety-confirmation limit (and the share, as its two counts), the median hours from receipt to the first sighting.</summary>
public sealed record ReferralFigures(int Received, int AbuseReports, int WithinLimit, CountShare WithinLimitShare, decimal? MedianHoursToConfirmation);
