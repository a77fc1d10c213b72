namespace Serverless.Agencies;

public enum AgencyKind
{
    /// <summary>The municipality's child-welfare division: the coordinating body (調整機関).</summary>
    MunicipalDivision,
    ChildGuidanceCentre,
    BoardOfEducation,
    School,
    Nursery,
    Hospital,
    PublicHealthCentre,
    WelfareFacility,
    Police,
    Npo,
    Other,

    /// <summary>幼稚園.</summary>
    Kindergarten,

    /// <summary>認定こども園.</summary>
    CertifiedChildcareCentre,

    /// <summary>認可外保育施設: a nursery without a licence, which holds a list all the same.</summary>
    UnlicensedNursery,
}
