using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Identity;

namespace Serverless.Referrals;

/// <summary>
/// The counts of a period, for coordinators only (everyone else 403, as for the open list). Reads one pointer partition
/// per month of the period and the head of each referral in it, never the whole table; counts them with
/// <see cref="ReferralCounting"/>. The answer is counts only, so it names no case and the case gate has nothing to
/// decide: a referral that became part of a case the coordinator is barred from is counted like any other.
/// </summary>
public sealed class ReferralCountReader(ReferralStore store, TimeProvider clock, ILogger<ReferralCountReader> logger)
{
    public async Task<CaseOutcome<ReferralCounts>> CountAsync(Caller caller, ReferralPeriodQuery query, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<ReferralCounts>.Forbidden();
        }

        var (period, errors) = ReferralPeriod.Parse(query);
        if (period is null)
        {
            return new CaseOutcome<ReferralCounts>.Invalid(errors);
        }

        var referrals = await store.ReceivedAsync(period.StartsAt, period.EndsBefore, cancellationToken);
        var counts = ReferralCounting.Count(referrals, period, clock.GetUtcNow());
        logger.LogInformation("Referral counts from {From} to {To}: {Read} referrals read, {Received} received", period.From, period.To, referrals.Count, counts.Received);
        return new CaseOutcome<ReferralCounts>.Done(counts);
    }
}
