namespace Serverless.Notifications;

/// <summary>
/// One notification as its reader may see it now. <see cref="Available"/> false: the reader can no longer see what it
/// was about (a bar, a scope or the case's agencies changed since, or it was disposed of), so it says nothing about it:
/// no case, entry, actor or kind, only that something was there and when.
/// </summary>
public sealed record NotificationView(
    string NotificationId,
    string Kind,
    DateTimeOffset At,
    bool Read,
    bool Urgent,
    bool Available,
    string? CaseId = null,
    string? EntryId = null,
    string? EntryType = null,
    bool Mentioned = false,
    string? ActorId = null,
    string? ActorAgencyId = null,
    string? GrantId = null,
    string? ReferralId = null,
    string? TaskId = null)
{
    /// <summary>The kind of a notification whose subject the reader may no longer see.</summary>
    public const string Unavailable = "unavailable";
}

/// <summary>A page of the inbox, newest first.</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationView> Notifications, string? ContinuationToken);

/// <summary>How many notifications are unread; <see cref="Capped"/> when there are at least that many (shown as "999+").</summary>
public sealed record UnreadCount(int Unread, bool Capped);

/// <summary>Body of <c>POST /api/notifications/read</c>: everything up to this time (ISO 8601 with its offset) is read; default now.</summary>
public sealed record MarkReadRequest(string? UpTo = null);

/// <summary>The read mark in force after <c>POST /api/notifications/read</c>.</summary>
public sealed record ReadMark(DateTimeOffset ReadUpTo);

/// <summary>One notification marked read.</summary>
public sealed record NotificationRead(string NotificationId, bool Read);
