using Serverless.Cases;

namespace Serverless.Entries;

/// <summary>Who sees an entry: <c>all-participants</c>, <c>coordinators-only</c>, or <c>named-agencies</c> with <c>agencyIds</c>.</summary>
public sealed record ScopeInput
{
    public EntryAudience? Audience { get; init; }

    public IReadOnlyList<string> AgencyIds { get; init; } = [];

    /// <summary>The scope, once validated (an audience is required).</summary>
    public EntryScope ToScope() => new(Audience!.Value, Audience == EntryAudience.NamedAgencies ? AgencyIds.Distinct(StringComparer.Ordinal).ToList() : []);
}

/// <summary>For an absence report: from and to (Japan dates), school days absent, and whether the guardian gave a reason.</summary>
public sealed record AbsenceInput
{
    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public int? SchoolDaysAbsent { get; init; }

    public bool? ReasonGiven { get; init; }
}

/// <summary>For an injury or physical sign: where on the body, from a fixed list.</summary>
public sealed record InjuryInput
{
    public IReadOnlyList<BodyPart> BodyParts { get; init; } = [];
}

/// <summary>The person who filled in an agency form, as they typed it: entry content, never a key, a log or a queue.</summary>
public sealed record SubmitterInput
{
    public string? Name { get; init; }

    public string? Role { get; init; }
}

/// <summary>
/// <c>POST /api/cases/{caseId}/reports</c>. <c>observedAt</c> is an ISO 8601 time with its offset
/// (<c>2025-06-16T08:10:00+09:00</c>). <c>submittedBy</c> is required from a form's key and refused from a person
/// (whose identity the sign-in gives).
/// </summary>
public sealed record ReportRequest
{
    public string? ObservedAt { get; init; }

    public ReportKind? Kind { get; init; }

    public ReportUrgency Urgency { get; init; } = ReportUrgency.Routine;

    public string? Narrative { get; init; }

    public ScopeInput? Scope { get; init; }

    public AbsenceInput? Absence { get; init; }

    public InjuryInput? Injury { get; init; }

    /// <summary>Files already uploaded to the case (ids from <c>POST .../files</c>) to attach: at most 10, each sent by the
    /// caller's agency (by the same form, for a form's key) and attached to nothing yet.</summary>
    public IReadOnlyList<string>? Files { get; init; }

    public SubmitterInput? SubmittedBy { get; init; }
}

/// <summary><c>POST .../reports/{reportId}/corrections</c>: the report as it should read, and why.</summary>
public sealed record CorrectionRequest
{
    public string? Reason { get; init; }

    public ReportRequest? Report { get; init; }
}

/// <summary>People and agencies a comment mentions (each must be able to see it).</summary>
public sealed record MentionsInput
{
    public IReadOnlyList<string> PersonIds { get; init; } = [];

    public IReadOnlyList<string> AgencyIds { get; init; } = [];
}

/// <summary>
/// <c>POST /api/cases/{caseId}/comments</c>: on the case, or in reply to a report or comment (<c>inReplyTo</c>).
/// Without <c>scope</c> a reply takes its parent's and a comment on the case is seen by all participants. People
/// comment; a form's key only submits reports.
/// </summary>
public sealed record CommentRequest
{
    public string? Text { get; init; }

    public string? InReplyTo { get; init; }

    public ScopeInput? Scope { get; init; }

    public MentionsInput? Mentions { get; init; }

    /// <summary>Files already uploaded to the case to attach, as for a report.</summary>
    public IReadOnlyList<string>? Files { get; init; }
}

/// <summary><c>POST /api/cases/{caseId}/entries/{entryId}/redaction</c>: a coordinator removes an entry's content.</summary>
public sealed record RedactionRequest
{
    public string? Reason { get; init; }
}
