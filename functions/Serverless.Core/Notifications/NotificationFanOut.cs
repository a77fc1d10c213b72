using Microsoft.Extensions.Logging;
using Serverless.Cases.Storage;
using Serverless.Entries;
using Serverless.Identity.People;
using Serverless.Time;

namespace Serverless.Notifications;

/// <summary>What a fan-out came to.</summary>
public enum FanOutResult
{
    Delivered,

    /// <summary>The case is gone (disposed of): nobody is told, and nothing may be written into its partition again.</summary>
    CaseGone,

    /// <summary>The entry is not (yet) there: nothing was sent.</summary>
    EntryMissing,
}

/// <summary>
/// Puts one inbox entry per recipient (<see cref="NotificationRecipients"/>) for a stored entry. Idempotent per
/// (entry, recipient): the notification's id is fixed by the entry, so a redelivered message or the catch-up timer
/// running it again leaves exactly one in each inbox. Reads the case and the entry as they are now (a bar placed
/// since the entry was written already counts) and the people table once (a council has hundreds of people). Then
/// the chat channels of the recipients' agencies hear that there is something new (<see cref="AgencyChannels"/>).
/// </summary>
public sealed class NotificationFanOut(CaseStore cases, EntryStore entries, PeopleDirectory people, NotificationInbox inbox, AgencyChannels channels, TimeProvider clock, ILogger<NotificationFanOut> logger)
{
    public async Task<FanOutResult> DeliverAsync(string caseId, string entryId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var storedCase = cases.GetAsync(caseId, cancellationToken);
        var head = entries.HeadAsync(caseId, EntryEntity.TimelineRowKey(receivedAt, entryId), cancellationToken);
        var everyone = people.AllAsync(cancellationToken);
        await Task.WhenAll(storedCase, head, everyone);
        if (await storedCase is not { } found)
        {
            logger.LogInformation("Entry {EntryId}: case {CaseId} is gone (disposed of); nobody is told", entryId, caseId);
            return FanOutResult.CaseGone;
        }

        if (await head is not { } entry)
        {
            return FanOutResult.EntryMissing;
        }

        var recipients = NotificationRecipients.For(found.Record, entry, (await everyone).SelectMany(person => person.Memberships), JapanTime.Today(clock));
        var notificationId = NotificationInbox.IdFor(entry.ReceivedAt, "entry/" + entry.EntryId);
        var urgent = NotificationRecipients.IsUrgent(entry);
        await inbox.SendOnceAsync(
            recipients.Select(recipient => (recipient.PersonId, new Notification(
                notificationId,
                NotificationKinds.EntryAdded,
                caseId,
                GrantId: null,
                // A form's key is not a person: the agency says who sent it.
                entry.Author.Kind == EntryAuthor.Person ? entry.Author.Id : "",
                entry.Author.AgencyId,
                entry.ReceivedAt,
                Urgent: urgent ? true : null)
            {
                EntryId = entry.EntryId,
                EntryType = EntryRows.Name(entry.Type),
                EntryRow = entry.TimelineRow,
                Mentioned = recipient.Mentioned,
            })),
            cancellationToken);
        await channels.TellAgenciesAsync(recipients.Select(recipient => recipient.AgencyId), "entry/" + entry.EntryId, NotificationKinds.EntryAdded, urgent, entry.ReceivedAt, cancellationToken);
        logger.LogInformation("Entry {EntryId} of case {CaseId}: {RecipientCount} people notified", entryId, caseId, recipients.Count);
        return FanOutResult.Delivered;
    }
}
