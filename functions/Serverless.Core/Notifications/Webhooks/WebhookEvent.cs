namespace Serverless.Notifications.Webhooks;

/// <summary>
/// Something new for an agency, as its webhooks are told of it: an opaque id the caller chose (never derived from a
/// case id), a kind (<c>entry.added</c>, <c>referral.overdue</c>: lowercase words and dots), whether it is urgent,
/// and when it happened. Nothing about the child, ever: the agency's chat channel reaches its whole staff room.
/// </summary>
public sealed record WebhookEvent(string EventId, string Kind, bool Urgent, DateTimeOffset At);
