namespace Serverless.Agencies;

/// <summary>An agency (機関) of the council. Registered by admins (the identity feature adds the endpoints).</summary>
public sealed record Agency(string AgencyId, string Name, AgencyKind Kind)
{
    /// <summary>Only the municipality's division or the child guidance centre may lead a case (主担当機関).</summary>
    public bool MayLeadCases => Kind is AgencyKind.MunicipalDivision or AgencyKind.ChildGuidanceCentre;
}
