using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Cases.Activity;
using Serverless.Queues;
using Serverless.Storage;

namespace Serverless.Entries;

/// <summary>"An entry was added to a case": ids, a type and a time, never its content.</summary>
public sealed record EntryAddedMessage(int SchemaVersion, string CaseId, string EntryId, EntryType Type, DateTimeOffset ReceivedAt) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>
/// What follows a stored entry, through the <c>entry-events</c> work queue (ids only): the case's activity summary
/// now, notifications later. The entry is stored before its message is sent; handling one twice changes nothing.
/// </summary>
public sealed class EntryEvents(WorkQueue queue, CaseActivityLog activity, ILogger<EntryEvents> logger)
{
    public const string Queue = "entry-events";

    /// <summary>
    /// Sends the event of a stored entry. Nothing here may fail the request: the entry is stored, and an error
    /// answer would make a form without an Idempotency-Key send it again. So a failure is logged, not thrown (the
    /// activity summary catches up with the next entry), and the send does not stop when the caller leaves.
    /// </summary>
    public async Task SendAsync(StoredEntry entry)
    {
        try
        {
            await queue.SendAsync(Queue, new EntryAddedMessage(EntryAddedMessage.CurrentSchemaVersion, entry.CaseId, entry.EntryId, entry.Type, entry.ReceivedAt), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Entry {EntryId} of case {CaseId} is stored, but its event could not be queued", entry.EntryId, entry.CaseId);
        }
    }

    public async Task HandleAsync(string messageText, CancellationToken cancellationToken)
    {
        var message = QueueMessageJson.Read<EntryAddedMessage>(messageText, EntryAddedMessage.CurrentSchemaVersion);
        if (!CaseIds.IsValid(message.CaseId) || !EntryIds.IsValid(message.EntryId))
        {
            throw new UnreadableMessageException("An entry event carries a case id and an entry id.");
        }

        var kind = message.Type switch
        {
            EntryType.Report => CaseActivityKind.Report,
            EntryType.Comment => CaseActivityKind.Comment,
            _ => (CaseActivityKind?)null,
        };
        if (kind is { } activityKind)
        {
            await activity.RecordAsync(message.CaseId, activityKind, message.ReceivedAt, cancellationToken);
        }
    }
}
