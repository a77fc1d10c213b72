namespace Serverless.Notifications.Webhooks;

/// <summary>Body of <c>PUT /api/admin/agencies/{agencyId}/webhooks/{name}</c>: the receiver's https URL (kept
/// encrypted, never shown again in full) and its format. Replacing a webhook keeps its signing secret.</summary>
public sealed record SaveWebhookRequest(string? Url = null, WebhookFormat? Format = null);

/// <summary>A webhook as admins see it: the URL masked to scheme and host, never a secret, and its recent delivery
/// attempts (status or failure kind and time, never a body).</summary>
public sealed record WebhookView(
    string AgencyId,
    string Name,
    WebhookFormat Format,
    string Url,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset? DisabledAt,
    DateTimeOffset? PreviousSecretValidUntil,
    IReadOnlyList<WebhookAttemptView> RecentAttempts);

/// <summary>One delivery attempt: which attempt of its event, when, the outcome, the receiver's status if it answered,
/// and when the next attempt is due if one was queued.</summary>
public sealed record WebhookAttemptView(int Attempt, DateTimeOffset At, WebhookOutcome Outcome, int? Status, DateTimeOffset? NextAttemptAt);

/// <summary>
/// A webhook just saved or whose secret was just rotated. <see cref="Secret"/> (<c>whsec_...</c>) is there only when
/// a new signing secret was made: on a generic webhook's creation and on rotation. It is shown this once.
/// <see cref="ToString"/> leaves it out so a stray log line cannot leak it.
/// </summary>
public sealed record SavedWebhook(WebhookView Webhook, string? Secret)
{
    public override string ToString() => $"SavedWebhook {{ AgencyId = {Webhook.AgencyId}, Name = {Webhook.Name} }}";
}
