using Serverless.Agencies;
using Serverless.Identity;

namespace Serverless.Administration;

// Every field has a default so that a missing one reaches validation (and is named there with its JSON
// path) instead of failing deserialization as invalid JSON: the API serializer requires every constructor
// parameter that has no default.

/// <summary>Body of <c>PUT /api/admin/agencies/{agencyId}</c>. It replaces the agency, so the council
/// member flag is required rather than taken as false when left out.</summary>
public sealed record SaveAgencyRequest(string? Name = null, AgencyKind? Kind = null, bool? IsCouncilMember = null, DateOnly? ConfidentialityAcknowledgedOn = null);

/// <summary>Body of <c>POST /api/admin/people</c>: the issuer (as configured) and the subject its tokens carry
/// (Entra: the user's object id), and the name coordinators see when naming staff.</summary>
public sealed record RegisterPersonRequest(string? Issuer = null, string? Subject = null, string? DisplayName = null);

/// <summary>Body of <c>POST /api/admin/people/{personId}/memberships</c>. Dates are Japan dates, inclusive.</summary>
public sealed record GrantMembershipRequest(string? AgencyId = null, CallerRole? Role = null, DateOnly? ValidFrom = null, DateOnly? ValidTo = null, bool MayBreakGlass = false);

/// <summary>Body of <c>POST /api/admin/people/{personId}/memberships/{membershipId}/end</c>.</summary>
public sealed record EndMembershipRequest(DateOnly? LastDay = null);

/// <summary>A person as admins and coordinators see them: never the subject (it is the directory's, not ours to show).</summary>
public sealed record PersonView(string PersonId, string Issuer, string DisplayName, IReadOnlyList<MembershipView> Memberships);

public sealed record MembershipView(string MembershipId, string AgencyId, CallerRole Role, DateOnly ValidFrom, DateOnly? ValidTo, bool MayBreakGlass, bool ActiveToday, PendingEndView? PendingEnd = null);

/// <summary>A proposal to end another coordinator's coordinator membership, until a different coordinator confirms it
/// (<c>POST …/end/confirm</c>) or it lapses at <paramref name="ExpiresAt"/>.</summary>
public sealed record PendingEndView(string ProposedBy, DateTimeOffset ProposedAt, DateTimeOffset ExpiresAt, DateOnly LastDay);
