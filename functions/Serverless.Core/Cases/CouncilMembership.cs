using Serverless.Agencies;

namespace Serverless.Cases;

/// <summary>
/// Only a formal member of the council (要保護児童対策地域協議会の構成機関) that has acknowledged the confidentiality
/// duty of Child Welfare Act art. 25-5 may be put on a case (lead, key agency or participant), unless a coordinator
/// records why (<c>participationException</c>, kept with the version). Agencies already on the case stay: only the
/// ones a change adds are checked, so a case from before this rule is not broken by its next change.
/// </summary>
public static class CouncilMembership
{
    public const string ExceptionLabel = "参加の例外（児童福祉法第25条の5）: ";

    /// <summary>Whether the agency is a council member that has acknowledged the confidentiality duty.</summary>
    public static bool MayTakePart(Agency agency)
        => agency.IsCouncilMember && agency.ConfidentialityAcknowledgedOn is not null;

    /// <summary>The first agency <paramref name="record"/> adds to <paramref name="before"/> (null for a new case) that
    /// may not take part; null when there is none. Unknown agencies are the validator's to report.</summary>
    public static string? FirstRefused(CaseRecord? before, CaseRecord record, IReadOnlyDictionary<string, Agency> directory)
    {
        var already = before is null ? [] : OnCase(before).ToHashSet(StringComparer.Ordinal);
        return OnCase(record)
            .Where(agencyId => !already.Contains(agencyId))
            .FirstOrDefault(agencyId => directory.TryGetValue(agencyId, out var agency) && !MayTakePart(agency));
    }

    /// <summary>The version's reason with the exception appended, so history shows both to those who see reasons.</summary>
    public static string WithException(string? reason, string exception)
        => string.IsNullOrEmpty(reason) ? ExceptionLabel + exception.Trim() : reason + "\n" + ExceptionLabel + exception.Trim();

    private static IEnumerable<string> OnCase(CaseRecord record)
        => record.Participants.Select(participation => participation.AgencyId)
            .Append(record.LeadAgencyId)
            .Concat(record.KeyAgencyId is { } key ? [key] : []);
}
