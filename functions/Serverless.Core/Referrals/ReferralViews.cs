using Serverless.Cases;
using Serverless.Entries;

namespace Serverless.Referrals;

/// <summary>What every receipt and the form-facing documentation say: a web form is not an emergency line.</summary>
public static class ReferralNotice
{
    public const string Emergency = "緊急のときは189（児童相談所虐待対応ダイヤル）または110へ";
}

/// <summary>
/// What whoever submitted a referral gets and sees of it: its id, the receipt number to quote on the phone, when it
/// was received, and its state (受付 / 対応中 / 決定). Never what anyone else added.
/// </summary>
public sealed record ReferralReceipt(string ReferralId, string ReceiptNumber, DateTimeOffset ReceivedAt, ReferralState State, string Emergency = ReferralNotice.Emergency);

/// <summary>The safety-confirmation clock as the coordinators see it (Japan time). <paramref name="MinutesLeft"/> is
/// negative once overdue; null when the clock does not run (stopped, or no clock for this kind).</summary>
public sealed record ReferralClockView(DateTimeOffset DeadlineAt, bool Running, int? MinutesLeft, bool Overdue, DateTimeOffset? ConfirmedAt, DateTimeOffset? HandedToCentreAt);

/// <summary>Who submitted it, for coordinators: a person, or a form with the name typed into it.</summary>
public sealed record ReferralSubmitterView(string Kind, string AgencyId, string? PersonId, string? KeyId, SubmitterInput? SubmittedBy);

public sealed record EscalationView(EscalationStage Stage, DateTimeOffset DueAt, DateTimeOffset RaisedAt, int Told, bool? DecisionDue);

public sealed record SafetyConfirmationView(string ConfirmationId, DateTimeOffset SeenAt, SeenByInput SeenBy, SightingMethod Method, string? Place, string? Condition, bool InjurySeen, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record ReferralDecisionView(ReferralOutcome Outcome, DateOnly MeetingDate, string DecidedBy, DateTimeOffset DecidedAt, string? Summary, string? CaseId, string? CentreAgencyId, string? Reason, string? NoConfirmationReason);

/// <summary>
/// <c>GET /api/referrals/{referralId}</c> for a coordinator: everything, the referrer included (児童虐待防止法 第7条
/// keeps it from everyone else). <paramref name="CaseDraft"/>: until decided, the case a new-case decision registers
/// unless the coordinator sends a corrected one.
/// </summary>
public sealed record ReferralView(
    string ReferralId,
    string ReceiptNumber,
    ReferralKind Kind,
    ReferralState State,
    ReferralChannel Channel,
    ReferralRoute? Route,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ObservedAt,
    ReferralClockView? Clock,
    ReferralSubmitterView Submitter,
    string Narrative,
    ChildDescription Child,
    ReferrerInput? Referrer,
    string? TakenBy,
    IReadOnlyList<SafetyConfirmationView> Confirmations,
    IReadOnlyList<EscalationView> Escalations,
    ReferralDecisionView? Decision,
    CentreAcceptance? CentreAcceptance,
    CaseRecord? CaseDraft,
    DateOnly? RetainUntil);

/// <summary>One referral on the coordinators' open list.</summary>
public sealed record OpenReferralItem(string ReferralId, string ReceiptNumber, ReferralKind Kind, ReferralState State, DateTimeOffset ReceivedAt, ReferralClockView? Clock, IReadOnlyList<EscalationStage> Escalations);

/// <summary><c>GET /api/referrals?state=open</c>: overdue first, then the oldest receipt first.</summary>
public sealed record OpenReferralList(IReadOnlyList<OpenReferralItem> Referrals);

/// <summary><c>GET /api/referrals</c> for a member or a form: the receipts of what they submitted, newest first.</summary>
public sealed record ReceiptPage(IReadOnlyList<ReferralReceipt> Receipts, string? ContinuationToken);
