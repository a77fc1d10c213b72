using Serverless.Cases;
using Serverless.Identity;
using Serverless.Time;

namespace Serverless.Entries;

/// <summary>Who wrote an entry, as the reader may know it: a person's id, or a form with the name typed into it
/// (the key's own id for coordinators only).</summary>
public sealed record EntryAuthorView(string Kind, string AgencyId, string? PersonId = null, string? KeyId = null, SubmitterInput? SubmittedBy = null);

public sealed record ReportContentView(ReportKind Kind, ReportUrgency Urgency, string Narrative, AbsenceInput? Absence, InjuryInput? Injury);

public sealed record CommentContentView(string Text, string? InReplyTo, MentionsInput? Mentions);

/// <summary>A referral on the case's timeline: its kind and the summary a coordinator wrote for the case's members.</summary>
public sealed record ReferralContentView(Referrals.ReferralKind Kind, string Summary);

/// <summary>A safety confirmation: someone saw the child (目視).</summary>
public sealed record SightingContentView(Referrals.SightingMethod Method, string? Place, Referrals.SeenByInput SeenBy, bool InjurySeen, string? Condition);

/// <summary>A council review of the case. <paramref name="SupportPolicy"/> and <paramref name="KeyPerson"/> are withheld (and
/// <paramref name="Withheld"/> true) from a caller who may not see where the child lives under location secrecy, as a case
/// change's reason is. The tasks are read with <c>GET /api/cases/{caseId}/tasks</c>.</summary>
public sealed record ReviewContentView(string MeetingId, MeetingKind MeetingKind, DateOnly MeetingDate, long Version, CaseStatus Status, RiskLevel? RiskLevel, Urgency? Urgency, DateOnly? NextReviewDate, string? SupportPolicy, string? KeyPerson, IReadOnlyList<string> TaskIds, bool? Withheld);

/// <summary>A change of the case. <paramref name="ReasonWithheld"/>: the coordinator's reason is not shown to a
/// caller who may not see where the child lives while the case is under location secrecy.</summary>
public sealed record CaseChangeView(long Version, IReadOnlyList<CaseChangeItem> Changes, string? Reason, bool? ReasonWithheld);

/// <summary>
/// One entry of the timeline as the caller may see it. Times are Japan time. <paramref name="Corrected"/>: the
/// report was corrected (this is its newest version). <paramref name="Redaction"/>: a coordinator removed its
/// content, and who, when and why stay.
/// </summary>
public sealed record TimelineEntryView(
    string EntryId,
    EntryType Type,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ObservedAt,
    EntryAuthorView Author,
    EntryScope Scope,
    int Version,
    bool? Corrected,
    ReportContentView? Report,
    CommentContentView? Comment,
    CaseChangeView? CaseChange,
    Redaction? Redaction)
{
    public ReferralContentView? Referral { get; init; }

    public SightingContentView? Sighting { get; init; }

    /// <summary>A 7-day attendance alert: the reporting agency, the month, the school days absent, the run's days.</summary>
    public AttendanceAlertDetails? AttendanceAlert { get; init; }

    public ReviewContentView? Review { get; init; }

    /// <summary>An entry received from another council (移管): the sender's kind and content, and its origin.</summary>
    public TransferredDetails? Transferred { get; init; }

    /// <summary>The ids of the files attached to the entry (read each with <c>GET .../files/{fileId}</c>); absent when none
    /// or when its content was removed.</summary>
    public IReadOnlyList<string>? Files { get; init; }
}

/// <summary>One version of a report: when, by whom, why it was corrected, and what it said.</summary>
public sealed record ReportVersionView(int Version, DateTimeOffset At, string By, string? Reason, DateTimeOffset ObservedAt, ReportContentView? Report);

/// <summary><c>GET .../reports/{reportId}</c>: the report as it reads now and every version, oldest first.</summary>
public sealed record ReportView(TimelineEntryView Entry, IReadOnlyList<ReportVersionView> Versions, bool? BreakGlass = null);

/// <summary>A page of the timeline, newest first. A page may hold fewer entries than asked for; only
/// <paramref name="ContinuationToken"/> says whether more follow.</summary>
public sealed record TimelinePage(string CaseId, IReadOnlyList<TimelineEntryView> Entries, string? ContinuationToken, bool? BreakGlass = null);

/// <summary>What the caller gets for a new entry: its id, type, version and when it was received, nothing of the case
/// (not even the id the caller sent). A form's key gets exactly this, and never the case.</summary>
public sealed record EntryReceipt(string EntryId, EntryType Type, DateTimeOffset ReceivedAt, int Version);

/// <summary>Decides, per caller, whether an entry is seen and what of it.</summary>
public static class EntryVisibility
{
    public static bool Sees(Caller caller, OpenCase open, StoredEntry entry)
        => entry.Type == EntryType.CaseChange
            || CaseAccess.CanSeeEntry(caller, entry.Scope, entry.Author.AgencyId, open.BreakGlass, open.Record.LeadAgencyId);

    public static TimelineEntryView View(Caller caller, OpenCase open, StoredEntry entry, bool corrected)
    {
        var redacted = entry.Redaction is not null;
        return new TimelineEntryView(
            entry.EntryId,
            entry.Type,
            JapanTime.ToJapan(entry.ReceivedAt),
            entry.ObservedAt is { } observed ? JapanTime.ToJapan(observed) : null,
            Author(caller, entry.Author),
            CaseAccess.SeesEveryAgency(caller, open.Record, open.BreakGlass) ? entry.Scope : entry.Scope with { AgencyIds = [.. entry.Scope.AgencyIds.Where(agencyId => CaseAccess.AgencyShown(caller, open.Record, agencyId))] },
            entry.Version,
            corrected ? true : null,
            entry.Report is { } report && !redacted ? Content(entry, report) : null,
            entry.Comment is { } comment && !redacted ? new CommentContentView(entry.Text ?? "", comment.InReplyTo, comment.Mentions) : null,
            entry.CaseChange is { } change ? CaseChange(caller, open, entry, change) : null,
            entry.Redaction)
        {
            Referral = entry.Referral is { } referral && !redacted ? new ReferralContentView(referral.Kind, entry.Text ?? "") : null,
            Sighting = entry.Sighting is { } sighting && !redacted ? new SightingContentView(sighting.Method, sighting.Place, sighting.SeenBy, sighting.InjurySeen, entry.Text) : null,
            Files = entry.FileIds is { Count: > 0 } files && !redacted ? files : null,
            AttendanceAlert = entry.AttendanceAlert is { } alert && !redacted ? alert : null,
            Review = entry.Review is { } review && !redacted ? Review(caller, open, entry, review) : null,
            Transferred = entry.Transferred is { } transferred && !redacted ? transferred : null,
        };
    }

    private static ReviewContentView Review(Caller caller, OpenCase open, StoredEntry entry, ReviewDetails review)
    {
        var withheld = open.Record.LocationSecrecy && !CaseAccess.CanSeeLocation(caller, open.Record, open.BreakGlass);
        return new ReviewContentView(review.MeetingId, review.MeetingKind, review.MeetingDate, review.Version, review.Status, review.RiskLevel, review.Urgency, review.NextReviewDate, withheld ? null : entry.Text, withheld ? null : review.KeyPerson, review.TaskIds, withheld ? true : null);
    }

    public static ReportContentView Content(StoredEntry entry, ReportDetails report)
        => new(report.Kind, report.Urgency, entry.Text ?? "", report.Absence, report.Injury);

    private static EntryAuthorView Author(Caller caller, EntryAuthor author)
        => author.Kind switch
        {
            EntryAuthor.Key => new EntryAuthorView("form", author.AgencyId, KeyId: caller.IsCoordinator ? author.Id : null, SubmittedBy: author.SubmittedBy),
            EntryAuthor.Partner => new EntryAuthorView(EntryAuthor.Partner, author.AgencyId),
            _ => new EntryAuthorView(EntryAuthor.Person, author.AgencyId, PersonId: author.Id),
        };

    private static CaseChangeView CaseChange(Caller caller, OpenCase open, StoredEntry entry, CaseChangeDetails change)
    {
        var withheld = open.Record.LocationSecrecy && !CaseAccess.CanSeeLocation(caller, open.Record, open.BreakGlass) && entry.Text is not null;
        // Under secrecy a member outside the lead agency is not told which other agency joined, left or became the key
        // agency (the new nursery names the area): those items are left out (the entry stays: its version is visible anyway).
        IReadOnlyList<CaseChangeItem> changes = CaseAccess.SeesEveryAgency(caller, open.Record, open.BreakGlass)
            ? change.Changes
            : [.. change.Changes.Where(item => NamesOnlyShownAgencies(caller, open.Record, item))];
        return new CaseChangeView(change.Version, changes, withheld ? null : entry.Text, withheld ? true : null);
    }

    private static bool NamesOnlyShownAgencies(Caller caller, CaseRecord record, CaseChangeItem item)
        => item.Kind switch
        {
            CaseChangeKind.ParticipantJoined or CaseChangeKind.ParticipantLeft => CaseAccess.AgencyShown(caller, record, item.AgencyId),
            CaseChangeKind.KeyAgency or CaseChangeKind.LeadAgency => (item.From is null || CaseAccess.AgencyShown(caller, record, item.From)) && (item.To is null || CaseAccess.AgencyShown(caller, record, item.To)),
            _ => true,
        };
}
