namespace Serverless.Identity.People;

/// <summary>
/// A person's place in one agency with one role for a time: the April rotation ends one and starts
/// another, and a person in two agencies holds two. Dates are Japan dates, both inclusive.
/// </summary>
public sealed record Membership(
    string MembershipId,
    string PersonId,
    string AgencyId,
    CallerRole Role,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    bool MayBreakGlass,
    string GrantedBy,
    DateTimeOffset GrantedAt,
    string? EndedBy = null,
    PendingEnd? PendingEnd = null)
{
    public bool IsActiveOn(DateOnly day) => ValidFrom <= day && (ValidTo is null || day <= ValidTo);
}

/// <summary>A proposal to end another coordinator's coordinator membership on <paramref name="LastDay"/>, waiting for a
/// different coordinator to confirm it (<see cref="TwoCoordinators"/>).</summary>
public sealed record PendingEnd(string ProposedBy, DateTimeOffset ProposedAt, DateOnly LastDay)
{
    public DateTimeOffset ExpiresAt => ProposedAt + TwoCoordinators.ProposalLifetime;
}
