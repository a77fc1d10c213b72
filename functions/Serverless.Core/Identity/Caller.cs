namespace Serverless.Identity;

/// <summary>The roles a membership grants. Admins and auditors never see case contents.</summary>
public enum CallerRole
{
    /// <summary>調整機関: manages every case.</summary>
    Coordinator,

    /// <summary>Agency staff: sees the cases they are named on while their agency takes part.</summary>
    Member,

    /// <summary>Reads the audit trail; no case contents.</summary>
    Auditor,

    /// <summary>Agencies, memberships and keys; no case contents.</summary>
    Admin,

    /// <summary>An agency form's submission key: submits on behalf of its agency and nothing else.</summary>
    Submitter,
}

public enum CallerKind
{
    Person,
    SubmissionKey,
}

/// <summary>
/// Who is calling, as authentication established it: a person acting through one membership
/// (agency and role), or an agency's submission key. Ids are opaque: a person id or a key's visible id.
/// </summary>
public sealed record Caller(string Id, string AgencyId, CallerRole Role)
{
    public CallerKind Kind { get; init; } = CallerKind.Person;

    /// <summary>The membership the person acts through (null for a key).</summary>
    public string? MembershipId { get; init; }

    /// <summary>Designated to open a case outside their scope in an emergency (break-glass).</summary>
    public bool MayBreakGlass { get; init; }

    /// <summary>Where the request came from (<c>X-Forwarded-For</c> past the trusted proxies), or null when that
    /// could not be resolved. Services that restrict by network read it; it is never logged.</summary>
    public System.Net.IPAddress? ClientAddress { get; init; }

    /// <summary>What this request's handling tells the audit (the case gate notes hidden cases, break-glass and
    /// what an answer carried). One per request: the HTTP layer gives the caller its request's notes.</summary>
    public Audit.AuditNotes Audit { get; init; } = new();

    /// <summary>The request's case, read while its audit intent was written (see <see cref="Cases.CaseReadAhead"/>); the gate uses it.</summary>
    public Cases.CaseReadAhead? CaseReadAhead { get; init; }

    public bool IsCoordinator => Role == CallerRole.Coordinator;

    /// <summary>Coordinators and members: the only roles that ever see case contents.</summary>
    public bool MaySeeCases => Role is CallerRole.Coordinator or CallerRole.Member;
}
