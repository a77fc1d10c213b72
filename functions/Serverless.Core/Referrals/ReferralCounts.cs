using Serverless.Cases;
using Serverless.Entries;
using Serverless.Time;

namespace Serverless.Referrals;

/// <summary>The period counted: receipt dates in Japan, both ends included; the fiscal year when asked for as one.</summary>
public sealed record ReferralCountPeriod(DateOnly From, DateOnly To, int? FiscalYear);

/// <summary>
/// What a council reports about the referrals received in a period. Counts only: nothing names a child, a referrer or
/// a submitting agency. Every breakdown lists every value, zeros included, in the order of its enum; <c>unknown</c> is
/// a referral with no route recorded. <see cref="AsOf"/>: the figures that depend on time (not yet due, overdue,
/// undecided) are as of then.
/// </summary>
public sealed record ReferralCounts(
    ReferralCountPeriod Period,
    DateTimeOffset AsOf,
    int Received,
    IReadOnlyDictionary<string, int> ByKind,
    IReadOnlyDictionary<string, int> ByRoute,
    IReadOnlyDictionary<string, int> ByChannel,
    SafetyConfirmationCounts SafetyConfirmation,
    IReadOnlyDictionary<string, int> Decisions);

/// <summary>
/// The safety-confirmation limit, for the abuse reports of the period (the only kind with a deadline). Each is in
/// exactly one of <see cref="WithinLimit"/>, <see cref="Late"/>, <see cref="HandedToCentreBeforeConfirmation"/>,
/// <see cref="UnconfirmedOverdue"/> and <see cref="UnconfirmedNotYetDue"/>, which add up to <see cref="AbuseReports"/>.
/// <see cref="Confirmed"/> counts those with any sighting recorded, whichever group they are in.
/// </summary>
/// <param name="WithinLimit">The first sighting recorded was at or before the deadline.</param>
/// <param name="Late">The first sighting recorded was after the deadline (and the centre had not accepted it by then).</param>
/// <param name="HandedToCentreBeforeConfirmation">The child guidance centre accepted it (送致) at or before the deadline,
/// before any sighting: the limit was the centre's from then.</param>
/// <param name="UnconfirmedOverdue">No sighting, the deadline passed (a centre's acceptance after the deadline included).</param>
/// <param name="UnconfirmedNotYetDue">No sighting, the deadline still ahead.</param>
/// <param name="WithinLimitShare">Within the limit, of those whose limit was the council's and is settled: within,
/// late, and overdue without a sighting.</param>
public sealed record SafetyConfirmationCounts(
    int AbuseReports,
    int Confirmed,
    int WithinLimit,
    int Late,
    int HandedToCentreBeforeConfirmation,
    int UnconfirmedOverdue,
    int UnconfirmedNotYetDue,
    ConfirmationHours HoursToFirstConfirmation,
    CountShare WithinLimitShare);

/// <summary>Hours from receipt to the first sighting recorded, over the <see cref="Count"/> confirmed abuse reports:
/// the median and the 90th percentile (nearest rank), to 0.1 hour; absent when none was confirmed. A child seen
/// before the referral arrived counts as 0 hours.</summary>
public sealed record ConfirmationHours(int Count, decimal? Median, decimal? Percentile90);

/// <summary>A share as its two counts, so no rounding hides how few it was taken over.</summary>
public sealed record CountShare(int Numerator, int Denominator);

/// <summary>The counts as a pure function of the stored referrals, the period and the time they are taken at.</summary>
public static class ReferralCounting
{
    public const string UnknownRoute = "unknown";

    public const string Undecided = "undecided";

    /// <param name="referrals">Referrals read for the period; those received outside it are left out here.</param>
    public static ReferralCounts Count(IEnumerable<StoredReferral> referrals, ReferralPeriod period, DateTimeOffset now)
    {
        var received = referrals.Where(referral => period.Contains(referral.ReceivedAt)).DistinctBy(referral => referral.ReferralId).ToList();
        return new ReferralCounts(
            new ReferralCountPeriod(period.From, period.To, period.FiscalYear),
            JapanTime.ToJapan(now),
            received.Count,
            Breakdown<ReferralKind>(received, Enum.GetValues<ReferralKind>(), referral => referral.Kind),
            Routes(received),
            Breakdown<ReferralChannel>(received, Enum.GetValues<ReferralChannel>(), referral => referral.Channel),
            SafetyConfirmation([.. received.Where(referral => referral.DeadlineAt is not null)], now),
            Decisions(received));
    }

    /// <summary>Where one abuse report stands against its limit at <paramref name="now"/>.</summary>
    public static LimitStanding Standing(StoredReferral referral, DateTimeOffset now)
    {
        var deadline = referral.DeadlineAt ?? throw new ArgumentException("Only a referral with a deadline has a standing.", nameof(referral));
        if (referral.FirstConfirmedAt <= deadline)
        {
            return LimitStanding.WithinLimit; // exactly at the deadline is within it
        }

        if (referral.Acceptance?.AcceptedAt <= deadline)
        {
            return LimitStanding.HandedToCentreBeforeConfirmation;
        }

        return referral.FirstConfirmedAt is not null ? LimitStanding.Late
            : now >= deadline ? LimitStanding.UnconfirmedOverdue // as the clock has it: overdue from the deadline on
            : LimitStanding.UnconfirmedNotYetDue;
    }

    /// <summary>The value at <paramref name="quantile"/> by nearest rank (the smallest value with at least that share of
    /// values at or below it), or the median (the middle value, or the mean of the two middle ones).</summary>
    public static decimal? Quantile(IReadOnlyList<decimal> sorted, decimal quantile)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        if (quantile == 0.5m && sorted.Count % 2 == 0)
        {
            return (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        var rank = (int)Math.Ceiling(quantile * sorted.Count);
        return sorted[Math.Max(rank, 1) - 1];
    }

    private static SafetyConfirmationCounts SafetyConfirmation(IReadOnlyList<StoredReferral> abuseReports, DateTimeOffset now)
    {
        var standings = abuseReports.Select(referral => Standing(referral, now)).ToList();
        int Of(LimitStanding standing) => standings.Count(s => s == standing);
        var hours = abuseReports
            .Where(referral => referral.FirstConfirmedAt is not null)
            .Select(referral => Hours(referral.FirstConfirmedAt!.Value - referral.ReceivedAt))
            .Order()
            .ToList();
        var within = Of(LimitStanding.WithinLimit);
        return new SafetyConfirmationCounts(
            abuseReports.Count,
            hours.Count,
            within,
            Of(LimitStanding.Late),
            Of(LimitStanding.HandedToCentreBeforeConfirmation),
            Of(LimitStanding.UnconfirmedOverdue),
            Of(LimitStanding.UnconfirmedNotYetDue),
            new ConfirmationHours(hours.Count, Tenth(Quantile(hours, 0.5m)), Tenth(Quantile(hours, 0.9m))),
            new CountShare(within, within + Of(LimitStanding.Late) + Of(LimitStanding.UnconfirmedOverdue)));
    }

    private static IReadOnlyDictionary<string, int> Routes(IReadOnlyList<StoredReferral> referrals)
    {
        var counts = Breakdown(referrals, Enum.GetValues<ReferralRoute>(), referral => referral.Route);
        counts[UnknownRoute] = referrals.Count(referral => referral.Route is null);
        return counts;
    }

    private static IReadOnlyDictionary<string, int> Decisions(IReadOnlyList<StoredReferral> referrals)
    {
        var counts = Breakdown(referrals, Enum.GetValues<ReferralOutcome>(), referral => referral.Decision?.Outcome);
        counts[Undecided] = referrals.Count(referral => referral.Decision is null);
        return counts;
    }

    /// <summary>Every value of <typeparamref name="TEnum"/> by its name on the wire, in the enum's order, zeros included.</summary>
    private static Dictionary<string, int> Breakdown<TEnum>(IReadOnlyList<StoredReferral> referrals, IEnumerable<TEnum> values, Func<StoredReferral, TEnum?> of)
        where TEnum : struct, Enum
        => values.ToDictionary(value => EntryRows.Name(value), value => referrals.Count(referral => EqualityComparer<TEnum?>.Default.Equals(of(referral), value)), StringComparer.Ordinal);

    /// <summary>Exact hours (a child seen before the referral arrived: 0).</summary>
    private static decimal Hours(TimeSpan elapsed) => Math.Max(0, (decimal)elapsed.Ticks / TimeSpan.TicksPerHour);

    private static decimal? Tenth(decimal? hours) => hours is { } value ? Math.Round(value, 1, MidpointRounding.AwayFromZero) : null;
}

/// <summary>Where an abuse report stands against the safety-confirmation limit (see <see cref="SafetyConfirmationCounts"/>).</summary>
public enum LimitStanding
{
    WithinLimit,
    Late,
    HandedToCentreBeforeConfirmation,
    UnconfirmedOverdue,
    UnconfirmedNotYetDue,
}
