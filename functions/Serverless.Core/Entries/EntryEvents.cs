using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Cases.Activity;
using Serverless.Notifications;
using Serverless.Queues;
using Serverless.Storage;

namespace Serverless.Entries;

/// <summary>"An entry was added to a case": ids, a type and a time, never its content.</summary>
public sealed record EntryAddedMessage(int SchemaVersion, string CaseId, string EntryId, EntryType Type, DateTimeOffset ReceivedAt) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>
/// What follows a stored entry, through the <c>entry-events</c> work queue (ids only): the case's activity summary and
/// the notifications of everyone who must know (<see cref="NotificationFanOut"/>). The entry is announced in the
/// <see cref="EntryOutbox"/> before it is stored and its message is sent after; handling one twice changes nothing,
/// and the announcement is removed only once it is handled, so the catch-up timer finishes whatever a lost message
/// or a crash left undone.
/// </summary>
public sealed class EntryEvents(WorkQueue queue, CaseActivityLog activity, NotificationFanOut fanOut, Stats.StatsRecorder stats, EntryOutbox outbox, TimeProvider clock, ILogger<EntryEvents> logger)
{
    public const string Queue = "entry-events";

    /// <summary>How long an announcement may wait for its message before the timer handles it itself.</summary>
    public static readonly TimeSpan CatchUpAfter = TimeSpan.FromMinutes(2);

    /// <summary>At most this many announcements per timer run (the rest wait for the next run).</summary>
    public const int CatchUpBatch = 200;

    /// <summary>Announces an entry about to be stored: call it before the write. A failure fails the request, before
    /// anything was stored.</summary>
    public Task AnnounceAsync(StoredEntry entry, CancellationToken cancellationToken)
        => outbox.AnnounceAsync(entry, clock.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Sends the event of a stored entry. Nothing here may fail the request: the entry is stored, and an error
    /// answer would make a form without an Idempotency-Key send it again. So a failure is logged, not thrown (the
    /// announcement stays, and the catch-up timer handles it), and the send does not stop when the caller leaves.
    /// </summary>
    public async Task SendAsync(StoredEntry entry)
    {
        try
        {
            await queue.SendAsync(Queue, new EntryAddedMessage(EntryAddedMessage.CurrentSchemaVersion, entry.CaseId, entry.EntryId, entry.Type, entry.ReceivedAt), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Entry {EntryId} of case {CaseId} is stored, but its event could not be queued; the catch-up timer will handle it", entry.EntryId, entry.CaseId);
        }
    }

    public async Task HandleAsync(string messageText, CancellationToken cancellationToken)
    {
        var message = QueueMessageJson.Read<EntryAddedMessage>(messageText, EntryAddedMessage.CurrentSchemaVersion);
        if (!CaseIds.IsValid(message.CaseId) || !EntryIds.IsValid(message.EntryId))
        {
            throw new UnreadableMessageException("An entry event carries a case id and an entry id.");
        }

        if (!await HandleAsync(message.CaseId, message.EntryId, message.Type, message.ReceivedAt, cancellationToken))
        {
            // The message is sent after the entry is stored, so this is a read that came too early: the host retries.
            throw new InvalidOperationException($"Entry {message.EntryId} of case {message.CaseId} was not found.");
        }
    }

    /// <summary>The catch-up timer: handles every announcement older than <see cref="CatchUpAfter"/> (its message was
    /// lost, or never sent), and drops those whose entry was never stored. Returns how many it handled.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var handled = 0;
        foreach (var pending in await outbox.PendingAsync(now - CatchUpAfter, CatchUpBatch, cancellationToken))
        {
            if (await HandleAsync(pending.CaseId, pending.EntryId, pending.Type, pending.ReceivedAt, cancellationToken))
            {
                handled++;
            }
            else if (now - pending.AnnouncedAt > EntryOutbox.OrphanAge)
            {
                logger.LogInformation("Entry {EntryId} of case {CaseId} was announced but never stored; announcement dropped", pending.EntryId, pending.CaseId);
                await outbox.DoneAsync(pending.EntryId, cancellationToken);
            }
        }

        if (handled > 0)
        {
            logger.LogWarning("Entry events catch-up: {Count} entries handled whose message was lost or late", handled);
        }

        return handled;
    }

    /// <summary>The notifications, then the counters, then the activity summary, then the announcement is removed. False when the entry is
    /// not there (nothing done).</summary>
    private async Task<bool> HandleAsync(string caseId, string entryId, EntryType type, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        switch (await fanOut.DeliverAsync(caseId, entryId, receivedAt, cancellationToken))
        {
            case FanOutResult.EntryMissing:
                return false;
            case FanOutResult.CaseGone:
                await outbox.DoneAsync(entryId, cancellationToken); // no activity row may bring the erased partition back
                return true;
        }

        await stats.RecordAsync(caseId, entryId, type, receivedAt, cancellationToken);
        var kind = type switch
        {
            EntryType.Report => CaseActivityKind.Report,
            EntryType.Comment => CaseActivityKind.Comment,
            _ => (CaseActivityKind?)null,
        };
        if (kind is { } activityKind)
        {
            await activity.RecordAsync(caseId, activityKind, receivedAt, cancellationToken);
        }

        await outbox.DoneAsync(entryId, cancellationToken);
        return true;
    }
}
