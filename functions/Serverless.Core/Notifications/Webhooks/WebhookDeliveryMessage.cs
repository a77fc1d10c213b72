using Serverless.Storage;

namespace Serverless.Notifications.Webhooks;

/// <summary>
/// One delivery of one event to one webhook, on the <c>webhook-deliveries</c> queue: ids, the event's kind, urgency
/// and time, and which attempt this is. Never the URL, a secret or a body: the handler reads the webhook's row.
/// </summary>
public sealed record WebhookDeliveryMessage(int SchemaVersion, string AgencyId, string Name, string EventId, string Kind, bool Urgent, DateTimeOffset OccurredAt, int Attempt) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public static WebhookDeliveryMessage First(string agencyId, string name, WebhookEvent webhookEvent)
        => new(CurrentSchemaVersion, agencyId, name, webhookEvent.EventId, webhookEvent.Kind, webhookEvent.Urgent, webhookEvent.At, 1);

    public WebhookDeliveryMessage Next() => this with { Attempt = Attempt + 1 };
}

/// <summary>
/// When a failed delivery is tried again: after 1 minute, 5 minutes, 30 minutes, 2 hours, then 6 hours (the queue
/// message hidden that long). The sixth attempt is the last; when it fails, the message goes the way of every
/// message that keeps failing: the host retries it, moves it to the poison queue, and the dead-letter sweep records
/// it for ops to replay.
/// </summary>
public static class WebhookBackoff
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(6),
    ];

    public static int MaxAttempts => Delays.Count + 1;

    /// <summary>The wait before the attempt after <paramref name="failedAttempt"/>; null when it was the last.</summary>
    public static TimeSpan? After(int failedAttempt)
        => failedAttempt >= 1 && failedAttempt <= Delays.Count ? Delays[failedAttempt - 1] : null;
}
