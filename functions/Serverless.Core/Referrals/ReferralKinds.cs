namespace Serverless.Referrals;

/// <summary>What a referral is. Names are the contract (kebab-case on the wire).</summary>
public enum ReferralKind
{
    /// <summary>虐待通告: a report of suspected abuse. Its safety confirmation is due within the council's limit.</summary>
    AbuseReport,

    /// <summary>養護相談: a consultation about a child's care.</summary>
    CareConsultation,

    /// <summary>その他の心配ごと.</summary>
    OtherConcern,
}

/// <summary>How a referral reached the council. <see cref="Online"/> is set by the server for a member's or a form's
/// submission; a coordinator entering a call or a visit (代理入力) names the channel.</summary>
public enum ReferralChannel
{
    Online,
    Phone,
    Visit,
    Letter,

    /// <summary>Transferred from 189 (児童相談所虐待対応ダイヤル).</summary>
    From189,
    Police,
    School,
    Hospital,
    Other,
}

/// <summary>What whoever submitted a referral sees of it: 受付, 対応中, 決定.</summary>
public enum ReferralState
{
    Received,
    InProgress,
    Decided,
}

/// <summary>The intake meeting's decision (受理会議).</summary>
public enum ReferralOutcome
{
    /// <summary>Registered as a new case; the referral is its first timeline entry.</summary>
    NewCase,

    /// <summary>Added to a case the council already has.</summary>
    ExistingCase,

    /// <summary>送致: handed to the child guidance centre (the clock passes to it once its acceptance is recorded).</summary>
    ReferredToCentre,

    /// <summary>No further action, with a reason.</summary>
    NoFurtherAction,
}

/// <summary>How the child was seen (目視).</summary>
public enum SightingMethod
{
    HomeVisit,
    AtSchool,
    AtNursery,
    AtHospital,
    WithPolice,
    Other,
}

/// <summary>The escalations of a running safety-confirmation clock, each raised once.</summary>
public enum EscalationStage
{
    /// <summary>The deadline is near (the configured lead time before it).</summary>
    Reminder,

    /// <summary>The deadline has passed: the child guidance centre is told too, and a decision on 立入調査 or 一時保護 is due.</summary>
    Overdue,
}
