using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Cases.Storage;

namespace Serverless.Entries;

/// <summary>
/// The timeline entry of a case change: registered, status (with closure and reopening), lead and key agency,
/// participants joining and leaving. Nothing about where the child lives ever becomes one (a change of address
/// alone writes no entry), so the timeline cannot tell a member the child moved.
/// </summary>
public static class CaseChanges
{
    public static IReadOnlyList<CaseChangeItem> Between(CaseRecord? before, CaseRecord after)
    {
        if (before is null)
        {
            return [new CaseChangeItem(CaseChangeKind.Registered, To: CaseIndexEntity.Name(after.Status))];
        }

        var changes = new List<CaseChangeItem>();
        if (before.Status != after.Status)
        {
            var kind = after.Status == CaseStatus.Closed ? CaseChangeKind.Closed : before.Status == CaseStatus.Closed ? CaseChangeKind.Reopened : CaseChangeKind.Status;
            changes.Add(new CaseChangeItem(kind, CaseIndexEntity.Name(before.Status), CaseIndexEntity.Name(after.Status)));
        }

        if (before.LeadAgencyId != after.LeadAgencyId)
        {
            changes.Add(new CaseChangeItem(CaseChangeKind.LeadAgency, before.LeadAgencyId, after.LeadAgencyId));
        }

        if (before.KeyAgencyId != after.KeyAgencyId)
        {
            changes.Add(new CaseChangeItem(CaseChangeKind.KeyAgency, before.KeyAgencyId, after.KeyAgencyId));
        }

        var earlier = before.Participants.ToLookup(participation => participation.AgencyId, StringComparer.Ordinal);
        var later = after.Participants.ToLookup(participation => participation.AgencyId, StringComparer.Ordinal);
        foreach (var participation in after.Participants)
        {
            if (!earlier.Contains(participation.AgencyId))
            {
                changes.Add(new CaseChangeItem(CaseChangeKind.ParticipantJoined, To: Day(participation.From), AgencyId: participation.AgencyId));
            }
            else if (participation.To is { } lastDay && !earlier[participation.AgencyId].Any(old => old.To == lastDay))
            {
                changes.Add(new CaseChangeItem(CaseChangeKind.ParticipantLeft, To: Day(lastDay), AgencyId: participation.AgencyId));
            }
        }

        changes.AddRange(before.Participants.Where(participation => !later.Contains(participation.AgencyId))
            .Select(participation => new CaseChangeItem(CaseChangeKind.ParticipantLeft, AgencyId: participation.AgencyId)));
        return changes;
    }

    /// <summary>The timeline entry of a saved version, or null when nothing a timeline shows changed.</summary>
    public static StoredEntry? Entry(string caseId, long version, CaseRecord? before, CaseRecord after, ChangeAuthor author, string? reason, DateTimeOffset at)
    {
        var changes = Between(before, after);
        if (changes.Count == 0)
        {
            return null;
        }

        return new StoredEntry(
            caseId,
            EntryIds.NewCaseChange(),
            EntryType.CaseChange,
            at,
            ObservedAt: null,
            new EntryAuthor(EntryAuthor.Person, author.CallerId, author.AgencyId),
            EntryScope.AllParticipants,
            Version: 1,
            reason,
            Report: null,
            Comment: null,
            new CaseChangeDetails(version, changes),
            Redaction: null);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
