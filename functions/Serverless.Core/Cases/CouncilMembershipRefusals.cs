namespace Serverless.Cases;

/// <summary>Why an agency may not be put on a case: the detail of a 409 <c>cases.agency-not-council-member</c>,
/// naming the agency by its id only.</summary>
public static class CouncilMembershipRefusals
{
    public const string NotCouncilMember = "agency-not-council-member";

    public static IReadOnlyDictionary<string, (string Ja, string En)> Messages { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [NotCouncilMember] = (
            "機関 {agencyId} は協議会の構成機関でないか、児童福祉法第25条の5の守秘義務の確認が記録されていません。例外とするには、調整担当者が participationException に理由を記録してください。",
            "Agency {agencyId} is not a council member or has not acknowledged the confidentiality duty (Child Welfare Act art. 25-5). A coordinator may record an exception reason in participationException."),
    };
}
