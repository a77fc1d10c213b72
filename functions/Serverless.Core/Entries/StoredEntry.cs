using Serverless.Cases;

namespace Serverless.Entries;

/// <summary>Who wrote an entry: a person (by id), or an agency form's key with the name typed into it.</summary>
public sealed record EntryAuthor(string Kind, string Id, string AgencyId, SubmitterInput? SubmittedBy = null)
{
    public const string Person = "person";
    public const string Key = "key";

    /// <summary>A partner council (移管): the id is its municipality code and the agency <see cref="PartnerAgency"/>, which
    /// names no agency here, so the author-agency clause of the entry visibility lets no member in.</summary>
    public const string Partner = "partner";

    public static string PartnerAgency(string municipalityCode) => "partner:" + municipalityCode;
}

/// <summary>A report's structured fields.</summary>
public sealed record ReportDetails(ReportKind Kind, ReportUrgency Urgency, AbsenceInput? Absence = null, InjuryInput? Injury = null);

/// <summary>A comment's place in a conversation and who it calls on.</summary>
public sealed record CommentDetails(string? InReplyTo = null, MentionsInput? Mentions = null);

/// <summary>One thing that changed in a case change.</summary>
public sealed record CaseChangeItem(CaseChangeKind Kind, string? From = null, string? To = null, string? AgencyId = null);

public sealed record CaseChangeDetails(long Version, IReadOnlyList<CaseChangeItem> Changes);

/// <summary>A referral's entry: its kind (the text is the coordinator's summary; nothing of the referrer).</summary>
public sealed record ReferralEntryDetails(Referrals.ReferralKind Kind);

/// <summary>A safety confirmation's entry: how, where, by whom the child was seen (the text is their condition).</summary>
public sealed record SightingDetails(string ReferralId, Referrals.SightingMethod Method, Referrals.SeenByInput SeenBy, bool InjurySeen, string? Place = null);

/// <summary>A 7-day alert's entry: which agency reported it, for which month, how many consecutive school days absent, and
/// (from the dates) the run's first and last school day. <paramref name="ReasonGiven"/>: the guardian gave a reason (the
/// rule applies all the same); null when a monthly row raised it.</summary>
public sealed record AttendanceAlertDetails(string AgencyId, string Month, int SchoolDaysAbsent, DateOnly? FirstDay = null, DateOnly? LastDay = null, bool? ReasonGiven = null);

/// <summary>A council review's entry (the text is the support policy, 援助方針): the meeting, what it decided, the tasks it gave.</summary>
public sealed record ReviewDetails(string MeetingId, MeetingKind MeetingKind, DateOnly MeetingDate, long Version, CaseStatus Status, RiskLevel? RiskLevel, Urgency? Urgency, DateOnly? NextReviewDate, string? KeyPerson, IReadOnlyList<string> TaskIds);

/// <summary>Where an imported entry came from: the sending council, the package, the entry's id and time there and, unless
/// referrer secrecy (通告者の秘匿) hides it, the sending agency's name.</summary>
public sealed record TransferOrigin(string SenderMunicipalityCode, string MessageId, string EntryId, DateTimeOffset At, string? AgencyName = null);

/// <summary>A transferred entry: the sender's entry kind, its content as it travelled (JSON) and its origin.</summary>
public sealed record TransferredDetails(string Kind, System.Text.Json.Nodes.JsonObject Content, TransferOrigin Origin);

/// <summary>An entry's content removed by a coordinator: who, when, why.</summary>
public sealed record Redaction(string By, DateTimeOffset At, string Reason);

/// <summary>One entry (or one version of it) as stored. Exactly one of the detail records is set, by <see cref="Type"/>.</summary>
public sealed record StoredEntry(
    string CaseId,
    string EntryId,
    EntryType Type,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ObservedAt,
    EntryAuthor Author,
    EntryScope Scope,
    int Version,
    string? Text,
    ReportDetails? Report,
    CommentDetails? Comment,
    CaseChangeDetails? CaseChange,
    Redaction? Redaction)
{
    /// <summary>On a version after the first: why, when and by whom it was corrected.</summary>
    public string? VersionReason { get; init; }

    public DateTimeOffset? VersionAt { get; init; }

    public string? VersionBy { get; init; }

    public ReferralEntryDetails? Referral { get; init; }

    public SightingDetails? Sighting { get; init; }

    public AttendanceAlertDetails? AttendanceAlert { get; init; }

    public ReviewDetails? Review { get; init; }

    public TransferredDetails? Transferred { get; init; }

    /// <summary>The files attached to the entry (their rows say so too, and decide nothing: the entry decides who sees them).</summary>
    public IReadOnlyList<string>? FileIds { get; init; }

    /// <summary>The timeline head's row key (read from storage; set by the store).</summary>
    public string? TimelineRow { get; init; }

    public Azure.ETag ETag { get; init; }
}
