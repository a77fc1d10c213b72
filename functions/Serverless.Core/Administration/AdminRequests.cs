using Serverless.Agencies;
using Serverless.Identity;

namespace Serverless.Administration;

/// <summary>Body of <c>PUT /api/admin/agencies/{agencyId}</c>.</summary>
public sealed record SaveAgencyRequest(string? Name, AgencyKind? Kind, bool IsCouncilMember, DateOnly? ConfidentialityAcknowledgedOn);

/// <summary>Body of <c>POST /api/admin/people</c>: the issuer (as configured) and the subject its tokens carry
/// (Entra: the user's object id), and the name coordinators see when naming staff.</summary>
public sealed record RegisterPersonRequest(string? Issuer, string? Subject, string? DisplayName);

/// <summary>Body of <c>POST /api/admin/people/{personId}/memberships</c>. Dates are Japan dates, inclusive.</summary>
public sealed record GrantMembershipRequest(string? AgencyId, CallerRole? Role, DateOnly? ValidFrom, DateOnly? ValidTo, bool MayBreakGlass);

/// <summary>Body of <c>POST /api/admin/people/{personId}/memberships/{membershipId}/end</c>.</summary>
public sealed record EndMembershipRequest(DateOnly? LastDay);

/// <summary>A person as admins and coordinators see them: never the subject (it is the directory's, not ours to show).</summary>
public sealed record PersonView(string PersonId, string Issuer, string DisplayName, IReadOnlyList<MembershipView> Memberships);

public sealed record MembershipView(string MembershipId, string AgencyId, CallerRole Role, DateOnly ValidFrom, DateOnly? ValidTo, bool MayBreakGlass, bool ActiveToday);
