using Serverless.Identity;

namespace Serverless.Cases;

/// <summary>
/// Who may see a case and its location. Coordinators see every case; agency members see a case while
/// their agency leads it, is its key agency, or takes part in it that day. Where the child lives is
/// shown to coordinators and to the lead and key agencies; under location secrecy (所在秘匿) to
/// coordinators only. (The identity feature narrows members further, to named staff.)
/// </summary>
public static class CaseAccess
{
    public static bool CanSee(Caller caller, CaseRecord record, DateOnly today)
        => caller.IsCoordinator
            || (caller.Role == CallerRole.Member && AgencyTakesPart(caller.AgencyId, record, today));

    public static bool CanSeeLocation(Caller caller, CaseRecord record)
        => caller.IsCoordinator
            || (!record.LocationSecrecy && caller.Role == CallerRole.Member
                && (caller.AgencyId == record.LeadAgencyId || caller.AgencyId == record.KeyAgencyId));

    /// <summary>The record as <paramref name="caller"/> may see it.</summary>
    public static CaseRecord ForCaller(Caller caller, CaseRecord record)
        => CanSeeLocation(caller, record) ? record : record with { Location = null };

    private static bool AgencyTakesPart(string agencyId, CaseRecord record, DateOnly today)
        => agencyId == record.LeadAgencyId
            || agencyId == record.KeyAgencyId
            || record.Participants.Any(participation => participation.AgencyId == agencyId && participation.IsActiveOn(today));
}
