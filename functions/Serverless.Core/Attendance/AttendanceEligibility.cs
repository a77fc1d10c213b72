using Serverless.Agencies;
using Serverless.Cases;

namespace Serverless.Attendance;

/// <summary>
/// Who may hold a child on an attendance list: a school, kindergarten, 認定こども園 or nursery (licensed or not) that is
/// the case's key agency or takes part in it that day, while the case is open. When the case closes or the child moves
/// (the agency stops being key agency or participant) the child leaves the list.
/// </summary>
public static class AttendanceEligibility
{
    public static bool IsListingKind(AgencyKind kind)
        => kind is AgencyKind.School or AgencyKind.Nursery or AgencyKind.Kindergarten or AgencyKind.CertifiedChildcareCentre or AgencyKind.UnlicensedNursery;

    public static bool MayBeListed(CaseRecord record, string agencyId, DateOnly today)
        => record.Status != CaseStatus.Closed
            && (record.KeyAgencyId == agencyId || record.Participants.Any(participation => participation.AgencyId == agencyId && participation.IsActiveOn(today)));

    /// <summary>Whether a change of the case can take the child off a list: it closed, or its key agency or participants changed.
    /// Other changes (notes, risk, a status short of closed) cannot, so they do not read the lists. A participation that
    /// ends by its date needs no change: the lists re-check every entry against the case when read.</summary>
    public static bool MayLeaveLists(CaseRecord before, CaseRecord after)
        => (after.Status == CaseStatus.Closed && before.Status != CaseStatus.Closed)
            || after.KeyAgencyId != before.KeyAgencyId
            || !after.Participants.SequenceEqual(before.Participants);
}
