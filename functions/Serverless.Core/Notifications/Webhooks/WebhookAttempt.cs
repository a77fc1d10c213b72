namespace Serverless.Notifications.Webhooks;

/// <summary>What one delivery attempt came to (in JSON: <c>delivered</c>, <c>http-error</c>, ...).</summary>
public enum WebhookOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>The receiver answered another status (redirects included: they are never followed). Retried.</summary>
    HttpError,

    /// <summary>410 Gone: the receiver says the webhook no longer exists. The webhook is disabled; not retried.</summary>
    Gone,

    /// <summary>No answer within the time limit. Retried.</summary>
    Timeout,

    /// <summary>No connection (refused, unreachable, TLS failed, the name did not resolve). Retried.</summary>
    ConnectionFailed,

    /// <summary>The host resolved to an address that is not public (DNS changed since registration). Nothing was sent. Retried.</summary>
    AddressRefused,
}

/// <summary>One delivery attempt as stored: which event (opaque id), which attempt, when, the status code if there
/// was an answer, and when the next attempt is due if one was queued.</summary>
public sealed record WebhookAttempt(string EventId, int Attempt, DateTimeOffset At, WebhookOutcome Outcome, int? Status, DateTimeOffset? NextAttemptAt);
