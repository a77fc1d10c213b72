using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Notifications;

/// <summary>
/// A person's inbox as they may see it now: each notification about a case is checked when it is read, through the
/// case gate (a bar, the agencies on the case, break-glass) and the entry's scope as it is now, and one that its reader
/// can no longer see says nothing about it (<see cref="NotificationView.Available"/>). People only: a form's key has no
/// inbox. Marking read, one or everything up to a time, and the unread count.
/// </summary>
public sealed class NotificationReader(NotificationInbox inbox, CaseGate gate, EntryStore entries, TimeProvider clock)
{
    public const int DefaultPageSize = 20;

    public async Task<CaseOutcome<NotificationPage>> PageAsync(Caller caller, bool unreadOnly, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (caller.Kind != CallerKind.Person)
        {
            return new CaseOutcome<NotificationPage>.Forbidden();
        }

        // The unread filter needs the mark first; the whole inbox reads the page beside it.
        var marked = inbox.ReadMarkAsync(caller.Id, cancellationToken);
        var (items, next) = await inbox.PageAsync(caller.Id, unreadOnly, unreadOnly ? await marked : null, pageSize, continuationToken, cancellationToken);
        var readMark = await marked;
        var aboutCases = items.Where(item => item.CaseId.Length > 0).Select(item => item.CaseId).ToList();
        var cases = aboutCases.Count == 0 ? new Dictionary<string, CaseOutcome<OpenCase>>() : await gate.OpenManyAsync(caller, aboutCases, CaseNeed.Read, cancellationToken);
        var heads = await Task.WhenAll(items.Select(item => HeadAsync(item, cases, cancellationToken)));
        var views = items.Select((item, i) => View(caller, item, readMark, cases, heads[i])).ToList();
        return new CaseOutcome<NotificationPage>.Done(new NotificationPage(views, next));
    }

    public async Task<CaseOutcome<UnreadCount>> UnreadAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Kind != CallerKind.Person)
        {
            return new CaseOutcome<UnreadCount>.Forbidden();
        }

        var count = await inbox.UnreadCountAsync(caller.Id, await inbox.ReadMarkAsync(caller.Id, cancellationToken), cancellationToken);
        return new CaseOutcome<UnreadCount>.Done(new UnreadCount(count, count >= NotificationInbox.MaxUnreadCount));
    }

    /// <summary>One notification read; 404 for an id the caller's inbox does not hold (anyone else's included).</summary>
    public async Task<CaseOutcome<NotificationRead>> MarkReadAsync(Caller caller, string notificationId, CancellationToken cancellationToken)
    {
        if (caller.Kind != CallerKind.Person)
        {
            return new CaseOutcome<NotificationRead>.Forbidden();
        }

        return await inbox.MarkReadAsync(caller.Id, notificationId, clock.GetUtcNow(), cancellationToken)
            ? new CaseOutcome<NotificationRead>.Done(new NotificationRead(notificationId, Read: true))
            : new CaseOutcome<NotificationRead>.NotFound();
    }

    /// <summary>Everything up to a time read (default now; not in the future). The mark only moves forward.</summary>
    /// <param name="request">Null when the body could not be read; an empty body is "up to now".</param>
    public async Task<CaseOutcome<ReadMark>> MarkAllReadAsync(Caller caller, MarkReadRequest? request, CancellationToken cancellationToken)
    {
        if (caller.Kind != CallerKind.Person)
        {
            return new CaseOutcome<ReadMark>.Forbidden();
        }

        if (request is null)
        {
            return new CaseOutcome<ReadMark>.Unreadable();
        }

        var now = clock.GetUtcNow();
        var upTo = now;
        if (request.UpTo is not null)
        {
            var errors = new ValidationErrors();
            upTo = EntryValidator.TimeWithOffset(errors, "$.upTo", request.UpTo, now);
            if (errors.Any)
            {
                return new CaseOutcome<ReadMark>.Invalid(errors.All);
            }
        }

        var mark = await inbox.MarkAllReadAsync(caller.Id, upTo < now ? upTo : now, cancellationToken);
        return new CaseOutcome<ReadMark>.Done(new ReadMark(JapanTime.ToJapan(mark)));
    }

    /// <summary>The entry a notification is about, as it is now, when the reader may open its case.</summary>
    private async Task<StoredEntry?> HeadAsync(Notification item, IReadOnlyDictionary<string, CaseOutcome<OpenCase>> cases, CancellationToken cancellationToken)
        => item.EntryRow is { } row && cases.TryGetValue(item.CaseId, out var opened) && opened is CaseOutcome<OpenCase>.Done
            ? await entries.HeadAsync(item.CaseId, row, cancellationToken)
            : null;

    private static NotificationView View(Caller caller, Notification item, DateTimeOffset? readMark, IReadOnlyDictionary<string, CaseOutcome<OpenCase>> cases, StoredEntry? head)
    {
        var read = item.ReadAt is not null || (readMark is { } mark && item.At <= mark);
        var at = JapanTime.ToJapan(item.At);
        if (item.CaseId.Length > 0)
        {
            var visible = cases.TryGetValue(item.CaseId, out var opened) && opened is CaseOutcome<OpenCase>.Done { Value: var open }
                && (item.EntryRow is null || (head is not null && CaseAccess.CanSeeEntry(caller, head.Scope, head.Author.AgencyId, open.BreakGlass, open.Record.LeadAgencyId)));
            if (!visible)
            {
                return new NotificationView(item.NotificationId, NotificationView.Unavailable, at, read, Urgent: false, Available: false);
            }
        }

        return new NotificationView(
            item.NotificationId,
            item.Kind,
            at,
            read,
            item.Urgent ?? false,
            Available: true,
            item.CaseId.Length > 0 ? item.CaseId : null,
            item.EntryId,
            item.EntryType,
            item.Mentioned,
            item.ActorId.Length > 0 ? item.ActorId : null,
            item.ActorAgencyId.Length > 0 ? item.ActorAgencyId : null,
            item.GrantId,
            item.ReferralId,
            item.TaskId);
    }
}
