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
    string? EndedBy = null)
{
    public bool IsActiveOn(DateOnly day) => ValidFrom <= day && (ValidTo is null || day <= ValidTo);
}
