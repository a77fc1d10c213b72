using Serverless.Cases;
using Serverless.Entries;

namespace Serverless.Referrals;

/// <summary>
/// <c>POST /api/referrals</c>: a concern about a child (通告・相談), before there is any case. Fields are nullable
/// so a missing one is a field error, not an unreadable body. <c>observedAt</c>: when it was seen or heard (ISO 8601
/// with its offset). <c>intake</c> is a coordinator's only (代理入力 of a call or a visit); <c>submittedBy</c> a
/// form's only.
/// </summary>
public sealed record ReferralRequest
{
    public ReferralKind? Kind { get; init; }

    public string? ObservedAt { get; init; }

    /// <summary>What was seen or heard, in the referrer's words. Coordinators only, ever.</summary>
    public string? Narrative { get; init; }

    public ChildDescription? Child { get; init; }

    /// <summary>Who referred: required when a coordinator enters a call or a visit; a member or a form is the referrer
    /// unless it says otherwise.</summary>
    public ReferrerInput? Referrer { get; init; }

    public SubmitterInput? SubmittedBy { get; init; }

    public IntakeInput? Intake { get; init; }
}

/// <summary>About whom, as much as is known.</summary>
public sealed record ChildDescription
{
    public PersonName? Name { get; init; }

    /// <summary>Roughly how old (years) when the birth date is not known.</summary>
    public int? ApproximateAge { get; init; }

    public DateOnly? BirthDate { get; init; }

    public Sex? Sex { get; init; }

    /// <summary>The school or nursery the child attends, as the referrer named it.</summary>
    public string? SchoolOrNursery { get; init; }

    /// <summary>The area (地区, 町名) when the address is not known.</summary>
    public string? Area { get; init; }

    public string? Address { get; init; }

    public IReadOnlyList<GuardianDescription>? Guardians { get; init; }
}

public sealed record GuardianDescription
{
    public PersonName? Name { get; init; }

    public Relationship? Relationship { get; init; }
}

/// <summary>The referrer (通告者): kept secret by law (児童虐待防止法 第7条), seen by coordinators only.</summary>
public sealed record ReferrerInput
{
    public bool Anonymous { get; init; }

    public string? Name { get; init; }

    /// <summary>Relation to the child (近隣住民, 担任, 祖母).</summary>
    public string? Relation { get; init; }

    /// <summary>A phone number or an address to reach them.</summary>
    public string? Contact { get; init; }

    /// <summary>Whether the council may contact them again.</summary>
    public bool MayContact { get; init; }
}

/// <summary>A coordinator's entry of a call, a visit or a letter (代理入力).</summary>
public sealed record IntakeInput
{
    public ReferralChannel? Channel { get; init; }

    /// <summary>Who took the call or the visit, when not the coordinator entering it.</summary>
    public string? TakenBy { get; init; }

    /// <summary>経路, for the council's counts (from the submitting agency's kind when not given).</summary>
    public ReferralRoute? Route { get; init; }
}

/// <summary><c>POST /api/referrals/{referralId}/safety-confirmations</c>: someone actually saw the child (目視).</summary>
public sealed record SafetyConfirmationRequest
{
    public string? SeenAt { get; init; }

    public SeenByInput? SeenBy { get; init; }

    public SightingMethod? Method { get; init; }

    public string? Place { get; init; }

    /// <summary>The child's condition, as seen.</summary>
    public string? Condition { get; init; }

    public bool? InjurySeen { get; init; }
}

/// <summary>Who saw the child: their agency, and a registered person or the name of one who is not.</summary>
public sealed record SeenByInput
{
    public string? AgencyId { get; init; }

    public string? PersonId { get; init; }

    public string? Name { get; init; }
}

/// <summary>
/// <c>POST /api/referrals/{referralId}/decision</c> (受理会議). <c>summary</c>: what members of the case read instead of
/// the referral (required into a case). <c>record</c>: the new case as the coordinator corrected the draft (the draft
/// when absent). <c>noConfirmationReason</c>: why no safety confirmation is possible or needed, for a no-further-action
/// decision on an abuse report nobody has seen the child for.
/// </summary>
public sealed record DecisionRequest
{
    public ReferralOutcome? Outcome { get; init; }

    public DateOnly? MeetingDate { get; init; }

    public string? Summary { get; init; }

    public CaseRecord? Record { get; init; }

    public IReadOnlyList<string>? ConfirmedNotDuplicateOf { get; init; }

    public string? CaseId { get; init; }

    public string? CentreAgencyId { get; init; }

    public string? Reason { get; init; }

    public string? NoConfirmationReason { get; init; }
}

/// <summary><c>POST /api/referrals/{referralId}/centre-acceptance</c>: the child guidance centre accepted a 送致; the
/// safety-confirmation clock is its from then on.</summary>
public sealed record CentreAcceptanceRequest
{
    public string? AcceptedAt { get; init; }

    /// <summary>Who at the centre accepted it.</summary>
    public string? AcceptedBy { get; init; }
}
