using Serverless.Time;

namespace Serverless.Referrals;

/// <summary>
/// The safety-confirmation clock (安全確認): a 虐待通告's deadline is its receipt plus the council's limit; it runs
/// until the first sighting of the child, or until the child guidance centre accepted a 送致. A decision never
/// stops it: the intake meeting often decides before anyone has seen the child.
/// </summary>
public static class ReferralClock
{
    public static DateTimeOffset? Deadline(ReferralKind kind, DateTimeOffset receivedAt, ReferralOptions options)
        => kind == ReferralKind.AbuseReport ? receivedAt + options.SafetyConfirmationLimit : null;

    /// <summary>The clock as shown (Japan time), or null for a referral that has none.</summary>
    public static ReferralClockView? View(StoredReferral referral, DateTimeOffset now)
        => referral.DeadlineAt is { } deadline
            ? new ReferralClockView(
                JapanTime.ToJapan(deadline),
                referral.ClockRunning,
                referral.ClockRunning ? MinutesLeft(deadline, now) : null,
                referral.ClockRunning && now >= deadline,
                referral.FirstConfirmedAt is { } confirmed ? JapanTime.ToJapan(confirmed) : null,
                referral.Acceptance is { } acceptance ? JapanTime.ToJapan(acceptance.AcceptedAt) : null)
            : null;

    /// <summary>The clock of a pointer on the open list (what the list shows without reading the referral).</summary>
    public static ReferralClockView? View(ReferralIndexEntity pointer, DateTimeOffset now)
        => pointer.DeadlineAt is { } deadline
            ? new ReferralClockView(
                JapanTime.ToJapan(deadline),
                pointer.ClockRunning,
                pointer.ClockRunning ? MinutesLeft(deadline, now) : null,
                pointer.ClockRunning && now >= deadline,
                null,
                null)
            : null;

    /// <summary>When each stage falls due for a running clock.</summary>
    public static DateTimeOffset DueAt(EscalationStage stage, DateTimeOffset deadline, ReferralOptions options)
        => stage == EscalationStage.Reminder ? deadline - options.ReminderLead : deadline;

    /// <summary>The stages that have fallen due by <paramref name="now"/> while the clock runs.</summary>
    public static IReadOnlyList<EscalationStage> DueStages(StoredReferral referral, DateTimeOffset now, ReferralOptions options)
        => referral is { ClockRunning: true, DeadlineAt: { } deadline }
            ? [.. Enum.GetValues<EscalationStage>().Where(stage => now >= DueAt(stage, deadline, options))]
            : [];

    /// <summary>Whole minutes left, rounded towards the deadline (negative once it has passed).</summary>
    private static int MinutesLeft(DateTimeOffset deadline, DateTimeOffset now)
        => (int)Math.Floor((deadline - now).TotalMinutes);
}
