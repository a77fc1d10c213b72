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
}
