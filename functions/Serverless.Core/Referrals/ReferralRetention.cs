using Serverless.Cases.Disposal;

namespace Serverless.Referrals;

/// <summary>
/// When a referral may be disposed of on its own: only one closed with no further action (it has no case to go with;
/// one that became part of a case is erased with the case), once <see cref="StoredReferral.RetainUntil"/> (the decision
/// day plus <c>Referrals:RetentionYears</c>, Japan time) has come. Shared by the proposal, the approval and the run.
/// </summary>
public static class ReferralRetention
{
    /// <summary>Why <paramref name="referral"/> may not be disposed of on <paramref name="today"/> (a <see cref="DisposalRefusals"/>
    /// key and its arguments), or null when it may.</summary>
    public static (string Reason, IReadOnlyDictionary<string, string>? Arguments)? Refusal(StoredReferral referral, DateOnly today)
    {
        if (referral.Decision?.Outcome != ReferralOutcome.NoFurtherAction || referral.CaseId is not null || referral.RetainUntil is not { } until)
        {
            return (DisposalRefusals.ReferralNotClosedAlone, null);
        }

        return until > today
            ? (DisposalRefusals.ReferralRetained, new Dictionary<string, string> { ["retainUntil"] = until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) })
            : null;
    }
}
