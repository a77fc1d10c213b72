using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Identity.People;

namespace Serverless.Notifications;

/// <summary>Who is told of an entry, through which membership (its agency is the one whose channels hear of it).</summary>
public sealed record Recipient(string PersonId, string AgencyId, bool Mentioned);

/// <summary>
/// Who must know of a new entry: the named staff of every agency on the case who may see the entry (its scope
/// respected: a coordinators-only report reaches coordinators only), every person mentioned and the named staff of
/// every agency mentioned, and the coordinating body: the coordinators named on the case, or every coordinator when
/// the case names none (someone there must hear of every report), and every coordinator when the entry is urgent.
/// Never its author, never a barred person.
/// Each candidate is asked exactly what the gate would ask of them as a reader (<see cref="CaseAccess"/>), through each
/// membership they hold that day, so nobody is told of an entry they could not open.
/// </summary>
public static class NotificationRecipients
{
    public static IReadOnlyList<Recipient> For(CaseRecord record, StoredEntry entry, IEnumerable<Membership> memberships, DateOnly today)
    {
        var author = entry.Author.Kind == EntryAuthor.Person ? entry.Author.Id : null;
        var urgent = IsUrgent(entry);
        var mentionedPeople = entry.Comment?.Mentions?.PersonIds.ToHashSet(StringComparer.Ordinal) ?? [];
        var mentionedAgencies = entry.Comment?.Mentions?.AgencyIds.ToHashSet(StringComparer.Ordinal) ?? [];
        var active = memberships.Where(membership => membership.IsActiveOn(today)).ToList();
        var coordinatorsNamed = active.Any(membership => membership.Role == CallerRole.Coordinator && IsNamed(record, membership));
        var recipients = new Dictionary<string, Recipient>(StringComparer.Ordinal);
        foreach (var membership in active.Where(membership => membership.Role is CallerRole.Coordinator or CallerRole.Member))
        {
            var reader = new Caller(membership.PersonId, membership.AgencyId, membership.Role);
            if (membership.PersonId == author
                || !CaseAccess.CanSee(reader, record, today)
                || !CaseAccess.CanSeeEntry(reader, entry.Scope, entry.Author.AgencyId))
            {
                continue;
            }

            var mentioned = mentionedPeople.Contains(membership.PersonId)
                || (membership.Role == CallerRole.Member && mentionedAgencies.Contains(membership.AgencyId));
            var named = IsNamed(record, membership);
            var coordinatorTold = reader.IsCoordinator && (urgent || !coordinatorsNamed);
            if (!named && !mentioned && !coordinatorTold)
            {
                continue;
            }

            if (!recipients.TryGetValue(membership.PersonId, out var earlier) || (mentioned && !earlier.Mentioned))
            {
                recipients[membership.PersonId] = new Recipient(membership.PersonId, membership.AgencyId, mentioned);
            }
        }

        return [.. recipients.Values.OrderBy(recipient => recipient.PersonId, StringComparer.Ordinal)];
    }

    private static bool IsNamed(CaseRecord record, Membership membership)
        => record.Staff.Any(staff => staff.PersonId == membership.PersonId && staff.AgencyId == membership.AgencyId);

    /// <summary>An urgent report or a 7-day attendance alert: every coordinator is told, and the notification is marked urgent.</summary>
    public static bool IsUrgent(StoredEntry entry) => entry.Report?.Urgency == ReportUrgency.Urgent || entry.Type == EntryType.AttendanceAlert;
}
