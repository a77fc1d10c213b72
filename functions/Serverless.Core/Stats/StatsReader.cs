using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Referrals;
using Serverless.Time;

namespace Serverless.Stats;

/// <summary>
/// <c>GET /api/stats</c>, for coordinators only (everyone else 403, as for the referral counts). Reads one query per month
/// of the period for the counters, the case snapshot (bounded by the number of cases), and the referral figures as
/// <see cref="ReferralCountReader"/> computes them: nothing here grows with the number of reports.
/// </summary>
public sealed class StatsReader(MonthlyCounters counters, CaseSnapshots snapshots, ReferralCountReader referrals, TimeProvider clock, ILogger<StatsReader> logger)
{
    public async Task<CaseOutcome<(CouncilStats Stats, StatsRequest Request)>> ReadAsync(Caller caller, StatsQuery query, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<(CouncilStats, StatsRequest)>.Forbidden();
        }

        var (request, errors) = StatsRequest.Parse(query);
        if (request is null)
        {
            return new CaseOutcome<(CouncilStats, StatsRequest)>.Invalid(errors);
        }

        var period = request.Period;
        var months = StatsMonth.Between(period.From, period.To);
        var monthCounts = await Task.WhenAll(months.Select(month => counters.ReadAsync(month, cancellationToken)));
        var snapshot = await snapshots.TakeAsync(cancellationToken);
        var referralOutcome = await referrals.CountAsync(caller, query.Period, cancellationToken);
        if (referralOutcome is not CaseOutcome<ReferralCounts>.Done(var referralCounts))
        {
            throw new InvalidOperationException("The referral counts refused a period the stats accepted.");
        }

        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, count) in monthCounts.SelectMany(counts => counts))
        {
            total[name] = total.GetValueOrDefault(name) + count;
        }

        var confirmation = referralCounts.SafetyConfirmation;
        var stats = new CouncilStats(
            new ReferralCountPeriod(period.From, period.To, period.FiscalYear),
            JapanTime.Now(clock),
            StatsFlows.Of(total),
            [.. months.Select((month, i) => new MonthFlow(month.Name, StatsFlows.Of(monthCounts[i])))],
            snapshot,
            new ReferralFigures(referralCounts.Received, confirmation.AbuseReports, confirmation.WithinLimit, confirmation.WithinLimitShare, confirmation.HoursToFirstConfirmation.Median));
        logger.LogInformation("Stats from {From} to {To}: {Months} months, {Cases} open cases", period.From, period.To, months.Count, snapshot.Open);
        return new CaseOutcome<(CouncilStats, StatsRequest)>.Done((stats, request));
    }
}
