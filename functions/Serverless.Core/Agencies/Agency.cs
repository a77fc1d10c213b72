namespace Serverless.Agencies;

/// <summary>
/// An agency (機関) of the council, registered by admins. <paramref name="IsCouncilMember"/>: a formal
/// member of the council (構成機関) rather than an agency asked to help with one case.
/// <paramref name="ConfidentialityAcknowledgedOn"/>: when it acknowledged the confidentiality duty
/// of 児童福祉法 25条の5 (a council shares case information on that basis).
/// </summary>
public sealed record Agency(string AgencyId, string Name, AgencyKind Kind, bool IsCouncilMember = false, DateOnly? ConfidentialityAcknowledgedOn = null)
{
    /// <summary>Only the municipality's division or the child guidance centre may lead a case (主担当機関).</summary>
    public bool MayLeadCases => Kind is AgencyKind.MunicipalDivision or AgencyKind.ChildGuidanceCentre;
}
