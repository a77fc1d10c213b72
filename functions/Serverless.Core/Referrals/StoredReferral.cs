using Azure;
using Serverless.Cases;
using Serverless.Entries;

namespace Serverless.Referrals;

/// <summary>Who submitted a referral: a person (a member, or a coordinator entering a call), or an agency form's key
/// with the name typed into it. Identifying: coordinators only.</summary>
public sealed record ReferralSubmitter(string Kind, string Id, string AgencyId, SubmitterInput? SubmittedBy = null);

/// <summary>What the referral says: coordinators only (the narrative is in the referrer's own words).</summary>
public sealed record ReferralContent(DateTimeOffset ObservedAt, string Narrative, ChildDescription Child, ReferrerInput? Referrer, string? TakenBy);

/// <summary>The intake meeting's decision, stored once its steps (the case, its first entry) are done: a decision retried
/// after a crash redoes them, each idempotent.</summary>
public sealed record ReferralDecision(
    ReferralOutcome Outcome,
    DateOnly MeetingDate,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    string? Summary,
    string? CaseId,
    string? CentreAgencyId,
    string? Reason,
    string? NoConfirmationReason);

/// <summary>The child guidance centre accepted a 送致: the clock is the centre's from <paramref name="AcceptedAt"/>.</summary>
public sealed record CentreAcceptance(DateTimeOffset AcceptedAt, string? AcceptedBy, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>One sighting of the child (目視).</summary>
public sealed record SafetyConfirmation(
    string ConfirmationId,
    DateTimeOffset SeenAt,
    SeenByInput SeenBy,
    SightingMethod Method,
    string? Place,
    string? Condition,
    bool InjurySeen,
    string RecordedBy,
    DateTimeOffset RecordedAt);

/// <summary>A stage of the clock raised: when it fell due, when it was raised, whom it told.
/// <paramref name="DecisionDue"/>: on the overdue stage, that a decision on 立入調査 or 一時保護 is due.</summary>
public sealed record Escalation(EscalationStage Stage, DateTimeOffset DueAt, DateTimeOffset RaisedAt, IReadOnlyList<string> Recipients, bool DecisionDue, DateTimeOffset? NotifiedAt);

/// <summary>A referral as stored (its head row).</summary>
public sealed record StoredReferral(
    string ReferralId,
    string ReceiptNumber,
    ReferralKind Kind,
    ReferralChannel Channel,
    ReferralRoute? Route,
    DateTimeOffset ReceivedAt,
    ReferralSubmitter Submitter,
    ReferralContent Content)
{
    public ReferralState State { get; init; } = ReferralState.Received;

    /// <summary>When the safety confirmation is due (abuse reports only).</summary>
    public DateTimeOffset? DeadlineAt { get; init; }

    /// <summary>The first sighting's time (what stops the clock).</summary>
    public DateTimeOffset? FirstConfirmedAt { get; init; }

    public int Confirmations { get; init; }

    public ReferralDecision? Decision { get; init; }

    public CentreAcceptance? Acceptance { get; init; }

    /// <summary>When a referral closed with no further action may be disposed of.</summary>
    public DateOnly? RetainUntil { get; init; }

    public ETag ETag { get; init; }

    /// <summary>The council's clock runs: an abuse report nobody has seen the child for, not handed to the centre.</summary>
    public bool ClockRunning => DeadlineAt is not null && FirstConfirmedAt is null && Acceptance is null;

    /// <summary>On the coordinators' open list: not decided yet, or its clock still running.</summary>
    public bool IsOpen => Decision is null || ClockRunning;

    /// <summary>The case it became part of, once decided so.</summary>
    public string? CaseId => Decision is { Outcome: ReferralOutcome.NewCase or ReferralOutcome.ExistingCase } decision ? decision.CaseId : null;
}
