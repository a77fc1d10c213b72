namespace Serverless.Cases.BreakGlass;

/// <summary>Body of <c>POST /api/cases/{caseId}/break-glass</c>: why this case must be opened now.</summary>
public sealed record OpenBreakGlassRequest(string? Reason = null);

/// <summary>Body of <c>POST /api/cases/{caseId}/break-glass/{grantId}/review</c>: what the review found.</summary>
public sealed record ReviewBreakGlassRequest(string? Finding = null);

public sealed record BreakGlassGrantView(string GrantId, string CaseId, string PersonId, string AgencyId, string Reason, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt, string? ReviewedBy, DateTimeOffset? ReviewedAt, string? Finding)
{
    public static BreakGlassGrantView From(BreakGlassGrant grant)
        => new(grant.GrantId, grant.CaseId, grant.PersonId, grant.AgencyId, grant.Reason, grant.OpenedAt, grant.ExpiresAt, grant.ReviewedBy, grant.ReviewedAt, grant.Finding);
}
