namespace Serverless.Cases;

/// <summary>
/// The editable part of a case, as coordinators record it. Stored whole on every version, returned
/// by the API (with location fields removed for callers who may not see them), and changed only
/// through <c>PATCH</c> with a reason. Frequent activity (reports, comments) lives elsewhere, so it
/// never changes this record's version.
/// </summary>
public sealed record CaseRecord
{
    public required CaseCategory Category { get; init; }

    public CaseStatus Status { get; init; } = CaseStatus.Accepted;

    /// <summary>Set while closed; the earlier closures of a reopened case stay in <see cref="PreviousClosures"/>.</summary>
    public Closure? Closure { get; init; }

    public IReadOnlyList<Closure> PreviousClosures { get; init; } = [];

    public IReadOnlyList<AbuseType> AbuseTypes { get; init; } = [];

    /// <summary>主たる虐待種別: the one abuse type the national figures (福祉行政報告例) count for the case; one of
    /// <see cref="AbuseTypes"/>. Changed by PATCH like any field, so each year's value stays in the record's versions.</summary>
    public AbuseType? PrimaryAbuseType { get; init; }

    public Relationship? MainAbuserRelationship { get; init; }

    public ReferralRoute? ReferralRoute { get; init; }

    public RiskLevel? RiskLevel { get; init; }

    public Urgency? Urgency { get; init; }

    /// <summary>The child. Absent only for an expectant mother (特定妊婦) before the birth.</summary>
    public Person? Child { get; init; }

    /// <summary>For 特定妊婦: the mother and due date.</summary>
    public ExpectantMother? ExpectantMother { get; init; }

    /// <summary>After the birth: the baby's own case.</summary>
    public string? BabyCaseId { get; init; }

    public IReadOnlyList<HouseholdMember> Household { get; init; } = [];

    /// <summary>Siblings' own cases.</summary>
    public IReadOnlyList<string> SiblingCaseIds { get; init; } = [];

    /// <summary>主担当機関: the municipality's division or the child guidance centre.</summary>
    public required string LeadAgencyId { get; init; }

    /// <summary>主たる援助機関: the agency closest to the child day to day (any kind).</summary>
    public string? KeyAgencyId { get; init; }

    public IReadOnlyList<Participation> Participants { get; init; } = [];

    /// <summary>
    /// The staff named on the case, per agency: a member sees the case only while named here and while
    /// their agency takes part (the homeroom teacher and the head, not every teacher). Coordinators name them.
    /// </summary>
    public IReadOnlyList<NamedStaff> Staff { get; init; } = [];

    /// <summary>
    /// People barred from the case (conflict of interest: the guardian works at the same school). A bar
    /// wins over every other right, a coordinator's included. Shown to coordinators only.
    /// </summary>
    public IReadOnlyList<string> BarredPersonIds { get; init; } = [];

    public DateOnly? NextReviewDate { get; init; }

    /// <summary>The last council review of the case (server-managed: only a meeting's review sets it).</summary>
    public LastReview? LastReview { get; init; }

    /// <summary>Where the child lives: coordinators, lead and key agency only; coordinators only under location secrecy.</summary>
    public Location? Location { get; init; }

    /// <summary>所在秘匿 (DV shelter, 住民基本台帳 support measures): every location field hidden from everyone but coordinators.</summary>
    public bool LocationSecrecy { get; init; }

    public string? Notes { get; init; }
}

/// <summary>A name as the family register or the person gives it. Kana readings may be missing for
/// foreign names, which then use <see cref="LatinName"/>.</summary>
public sealed record PersonName
{
    public string? Family { get; init; }

    public string? Given { get; init; }

    public string? FamilyKana { get; init; }

    public string? GivenKana { get; init; }

    /// <summary>A foreign name as written in Latin letters (no kana).</summary>
    public string? LatinName { get; init; }
}

public sealed record Person
{
    public required PersonName Name { get; init; }

    public IReadOnlyList<PersonName> PreviousNames { get; init; } = [];

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public DateOnly? BirthDate { get; init; }

    public Sex Sex { get; init; } = Sex.Unknown;
}

public sealed record ExpectantMother
{
    public required Person Mother { get; init; }

    public DateOnly? DueDate { get; init; }
}

public sealed record HouseholdMember
{
    public required PersonName Name { get; init; }

    public required Relationship Relationship { get; init; }

    public bool IsGuardian { get; init; }

    public DateOnly? BirthDate { get; init; }

    /// <summary>Lives in the same household (a non-resident parent is recorded too).</summary>
    public bool LivesWithChild { get; init; } = true;
}

/// <summary>An agency taking part in the case for a period (a nursery leaves when the child starts school).</summary>
public sealed record Participation
{
    public required string AgencyId { get; init; }

    public required DateOnly From { get; init; }

    public DateOnly? To { get; init; }

    public bool IsActiveOn(DateOnly day) => From <= day && (To is null || day <= To);
}

/// <summary>A person named on a case for one agency (opaque person id).</summary>
public sealed record NamedStaff
{
    public required string PersonId { get; init; }

    public required string AgencyId { get; init; }
}

public sealed record Location
{
    public string? Address { get; init; }

    public string? SchoolDistrict { get; init; }

    /// <summary>Free-text notes about where the child is (the shelter's rules for contact, "near the station"): hidden with the address.</summary>
    public string? Notes { get; init; }
}

/// <summary>終結: decided at a council meeting, with a reason.</summary>
public sealed record Closure
{
    public required ClosureOutcome Outcome { get; init; }

    public required string Reason { get; init; }

    public required DateOnly DecidedOn { get; init; }

    /// <summary>The meeting that decided it (e.g. "第3回実務者会議").</summary>
    public required string Meeting { get; init; }

    /// <summary>For a transfer (移管): the receiving municipality.</summary>
    public string? TransferredTo { get; init; }
}
