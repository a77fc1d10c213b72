namespace Serverless.Cases.BreakGlass;

/// <summary>
/// An emergency opening of a case outside the caller's scope: who, why, until when, and the review
/// every opening needs afterwards. The reason and the finding are free text: they stay in this row,
/// never in a log, a key or an audit entry (the audit marks the access as break-glass).
/// </summary>
public sealed record BreakGlassGrant(
    string GrantId,
    string CaseId,
    string PersonId,
    string AgencyId,
    string Reason,
    DateTimeOffset OpenedAt,
    DateTimeOffset ExpiresAt,
    string? ReviewedBy = null,
    DateTimeOffset? ReviewedAt = null,
    string? Finding = null)
{
    public bool IsActiveAt(DateTimeOffset now) => OpenedAt <= now && now < ExpiresAt;
}
