namespace Serverless.Cases;

/// <summary>受理 → 登録 → 終結. A closed case may be reopened (back to accepted); its history stays.</summary>
public enum CaseStatus
{
    Accepted,
    Registered,
    Closed,
}

/// <summary>要保護児童 / 要支援児童 / 特定妊婦: the three kinds of registered case.</summary>
public enum CaseCategory
{
    RequiringProtection,
    RequiringSupport,
    ExpectantMother,
}

public enum AbuseType
{
    Physical,
    Neglect,
    Psychological,
    Sexual,
}

/// <summary>続柄: a person's relationship to the child.</summary>
public enum Relationship
{
    Mother,
    Father,
    Stepmother,
    Stepfather,
    MothersPartner,
    FathersPartner,
    Grandmother,
    Grandfather,
    Sibling,
    OtherRelative,
    Other,
    Unknown,
}

/// <summary>経路: how the concern reached the council.</summary>
public enum ReferralRoute
{
    Family,
    Relative,
    Neighbour,
    ChildThemself,
    School,
    Nursery,
    Hospital,
    PublicHealthCentre,
    ChildGuidanceCentre,
    WelfareOffice,
    Police,
    OtherMunicipality,
    Anonymous,
    Other,
}

public enum RiskLevel
{
    Low,
    Medium,
    High,
    Critical,
}

public enum Urgency
{
    Routine,
    WithinAWeek,
    Within48Hours,
    Immediate,
}

public enum Sex
{
    Female,
    Male,
    Other,
    Unknown,
}

/// <summary>How a case ended. Transfer to another municipality (移管) and referral up to the child
/// guidance centre (送致) are distinct outcomes.</summary>
public enum ClosureOutcome
{
    Improved,
    TransferredToAnotherMunicipality,
    ReferredToChildGuidanceCentre,
    ReachedAdulthood,
    MovedAwayWhereaboutsUnknown,
    Other,
}
