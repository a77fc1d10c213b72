using Serverless.Identity;

namespace Serverless.Cases;

/// <summary>
/// Need to know. Coordinators see every case; a member sees a case only while their agency takes part
/// in it (lead, key agency, or a participation that day) <em>and</em> they are named on it for that
/// agency. A bar wins over everything. Admins, auditors and submission keys see no case. Where the
/// child lives is shown to coordinators and to the named staff of the lead and key agencies; under
/// location secrecy (所在秘匿) to coordinators only.
/// </summary>
public static class CaseAccess
{
    public static bool CanSee(Caller caller, CaseRecord record, DateOnly today)
        => !IsBarred(caller, record)
            && (caller.IsCoordinator
                || (caller.Role == CallerRole.Member && IsNamed(caller, record) && AgencyTakesPart(caller.AgencyId, record, today)));

    /// <summary>Whether break-glass could open the case for this caller: designated, able to see cases, not barred.</summary>
    public static bool MayBreakGlass(Caller caller, CaseRecord record)
        => caller.Kind == CallerKind.Person && caller.MaySeeCases && caller.MayBreakGlass && !IsBarred(caller, record);

    public static bool IsBarred(Caller caller, CaseRecord record)
        => caller.Kind == CallerKind.Person && record.BarredPersonIds.Contains(caller.Id, StringComparer.Ordinal);

    /// <param name="breakGlass">The caller sees the case through a break-glass grant: they see what the lead agency sees.</param>
    public static bool CanSeeLocation(Caller caller, CaseRecord record, bool breakGlass = false)
        => caller.IsCoordinator
            || (!record.LocationSecrecy && caller.Role == CallerRole.Member
                && (breakGlass || caller.AgencyId == record.LeadAgencyId || caller.AgencyId == record.KeyAgencyId));

    /// <summary>
    /// Whether the caller, who can see the case, sees one entry in it (a report, a comment, an
    /// assessment). Coordinators see every entry; the agency that wrote an entry always sees it. Through a
    /// break-glass grant a member sees what the lead agency sees (as for the record itself).
    /// </summary>
    /// <param name="leadAgencyId">The case's lead agency (only read when <paramref name="breakGlass"/>).</param>
    public static bool CanSeeEntry(Caller caller, EntryScope scope, string authorAgencyId, bool breakGlass = false, string? leadAgencyId = null)
        => caller.IsCoordinator
            || (caller.Role == CallerRole.Member
                && (AgencySeesEntry(caller.AgencyId, scope, authorAgencyId)
                    || (breakGlass && leadAgencyId is not null && AgencySeesEntry(leadAgencyId, scope, authorAgencyId))));

    /// <summary>Whether the members of <paramref name="agencyId"/> who see the case see an entry of this scope.</summary>
    public static bool AgencySeesEntry(string agencyId, EntryScope scope, string authorAgencyId)
        => agencyId == authorAgencyId
            || scope.Audience == EntryAudience.AllParticipants
            || (scope.Audience == EntryAudience.NamedAgencies && scope.AgencyIds.Contains(agencyId, StringComparer.Ordinal));

    /// <summary>The record as <paramref name="caller"/> may see it: location withheld where it must be; for coordinators
    /// only, the bar list (which would tell a member whom the council suspects) and the referral route (who referred the
    /// child is secret by law, 児童虐待防止法 第7条, and "from the school" names the school).</summary>
    public static CaseRecord ForCaller(Caller caller, CaseRecord record, bool breakGlass = false)
    {
        var seen = CanSeeLocation(caller, record, breakGlass) ? record : record with { Location = null };
        return caller.IsCoordinator ? seen : seen with { BarredPersonIds = [], ReferralRoute = null };
    }

    /// <summary>A version's changed fields as <paramref name="caller"/> may know them: that the referral route or the bar
    /// list changed is for coordinators only, like the fields themselves; that the location changed is for those who see
    /// it (<paramref name="seesLocation"/>): "$.location.address" changed tells a member under 所在秘匿 that the child moved.</summary>
    public static IReadOnlyList<string> ChangedFieldsForCaller(Caller caller, IReadOnlyList<string> fields, bool seesLocation)
        => [.. fields.Where(field =>
            (caller.IsCoordinator || (!field.StartsWith("$.referralRoute", StringComparison.Ordinal) && !field.StartsWith("$.barredPersonIds", StringComparison.Ordinal)))
            && (seesLocation || !IsLocationField(field)))];

    /// <summary><c>$.location</c> and anything under it (not <c>$.locationSecrecy</c>, which the caller sees on the record).</summary>
    public static bool IsLocationField(string field)
        => field == "$.location" || field.StartsWith("$.location.", StringComparison.Ordinal) || field.StartsWith("$.location[", StringComparison.Ordinal);

    private static bool IsNamed(Caller caller, CaseRecord record)
        => caller.Kind == CallerKind.Person
            && record.Staff.Any(staff => staff.PersonId == caller.Id && staff.AgencyId == caller.AgencyId);

    /// <summary>Lead, key agency, or a participation running that day.</summary>
    public static bool AgencyTakesPart(string agencyId, CaseRecord record, DateOnly today)
        => agencyId == record.LeadAgencyId
            || agencyId == record.KeyAgencyId
            || record.Participants.Any(participation => participation.AgencyId == agencyId && participation.IsActiveOn(today));
}
