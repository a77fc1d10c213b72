using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Notifications.Webhooks;

/// <summary>
/// One webhook: partition the agency id, row the webhook's name, so an agency's webhooks (and their recent delivery
/// attempts) are one partition query. The URL and the signing secrets are sealed (<see cref="WebhookCipher"/>); the
/// masked URL (scheme, host and "/…") is what admins see. The last <see cref="WebhookLimits.AttemptsKept"/> delivery
/// attempts ride in the row as JSON (status or failure kind and times, never a body).
/// </summary>
public sealed class WebhookEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary><see cref="WebhookFormat"/> by name.</summary>
    public string Format { get; set; } = "";

    public string SealedUrl { get; set; } = "";

    public string MaskedUrl { get; set; } = "";

    /// <summary>Generic webhooks only: the current signing secret, sealed.</summary>
    public string? SealedSecret { get; set; }

    /// <summary>During a rotation's overlap: the secret that signs alongside the current one until <see cref="PreviousSecretUntil"/>.</summary>
    public string? SealedPreviousSecret { get; set; }

    public DateTimeOffset? PreviousSecretUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    /// <summary>Set when the receiver answered 410 Gone: no more deliveries until an admin registers it again.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>JSON array of <see cref="WebhookAttempt"/>, newest first.</summary>
    public string RecentAttempts { get; set; } = "[]";
}
