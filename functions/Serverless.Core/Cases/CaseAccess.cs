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
    /// <param name="now">The case as it is now, when <paramref name="record"/> is an older version: secrecy decided today
    /// covers the agencies an older version names.</param>
    public static CaseRecord ForCaller(Caller caller, CaseRecord record, bool breakGlass = false, CaseRecord? now = null)
    {
        var seen = CanSeeLocation(caller, record, breakGlass) ? record : record with { Location = null };
        if (!SeesEveryAgency(caller, now ?? record, breakGlass) || !SeesEveryAgency(caller, record, breakGlass))
        {
            seen = seen with
            {
                KeyAgencyId = AgencyShown(caller, record, record.KeyAgencyId) ? record.KeyAgencyId : null,
                Participants = [.. record.Participants.Where(participation => AgencyShown(caller, record, participation.AgencyId))],
                Staff = [.. record.Staff.Where(staff => AgencyShown(caller, record, staff.AgencyId))],
            };
        }

        return caller.IsCoordinator ? seen : seen with { BarredPersonIds = [], ReferralRoute = null };
    }

    /// <summary>
    /// Under location secrecy the agencies around the child name the area (the nursery the child attends since the move):
    /// a member outside the lead agency sees, of the agencies on the case, only the lead agency and their own, in the
    /// record (key agency, participants, staff), its history and the timeline's case changes. Coordinators, the lead
    /// agency and a break-glass reader (who sees what the lead agency sees) see every agency.
    /// </summary>
    public static bool SeesEveryAgency(Caller caller, CaseRecord record, bool breakGlass = false)
        => caller.IsCoordinator || breakGlass || !record.LocationSecrecy || caller.AgencyId == record.LeadAgencyId;

    /// <summary>Whether an agency may be named to a caller who does not see every agency: the lead agency, or their own.</summary>
    public static bool AgencyShown(Caller caller, CaseRecord record, string? agencyId)
        => agencyId is not null && (agencyId == record.LeadAgencyId || agencyId == caller.AgencyId);

    /// <summary>A version's changed fields as <paramref name="caller"/> may know them: that the referral route or the bar
    /// list changed is for coordinators only, like the fields themselves; that the location changed is for those who see
    /// it (<paramref name="seesLocation"/>): "$.location.address" changed tells a member under 所在秘匿 that the child moved.</summary>
    /// <param name="seesEveryAgency">False under secrecy for a member outside the lead agency (<see cref="SeesEveryAgency"/>): that
    /// the key agency, the participants or the staff changed is then not said either.</param>
    public static IReadOnlyList<string> ChangedFieldsForCaller(Caller caller, IReadOnlyList<string> fields, bool seesLocation, bool seesEveryAgency = true)
        => [.. fields.Where(field =>
            (caller.IsCoordinator || (!field.StartsWith("$.referralRoute", StringComparison.Ordinal) && !field.StartsWith("$.barredPersonIds", StringComparison.Ordinal)))
            && (seesLocation || !IsLocationField(field))
            && (seesEveryAgency || !(field.StartsWith("$.keyAgencyId", StringComparison.Ordinal) || field.StartsWith("$.participants", StringComparison.Ordinal) || field.StartsWith("$.staff", StringComparison.Ordinal))))];

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
