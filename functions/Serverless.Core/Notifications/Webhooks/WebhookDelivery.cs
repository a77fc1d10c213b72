using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Agencies;
using Serverless.Queues;

namespace Serverless.Notifications.Webhooks;

/// <summary>A delivery that failed its last attempt (<see cref="WebhookBackoff.MaxAttempts"/>). Thrown so the host
/// retries the message and then dead-letters it like any other; its text holds opaque ids only.</summary>
public sealed class WebhookDeliveryFailedException(string message) : Exception(message);

/// <summary>
/// Handles one <see cref="WebhookDeliveryMessage"/>: reads the webhook (deleted or disabled: the message is
/// dropped), builds the body for its format, signs a generic one, POSTs it, records the attempt (status or failure
/// kind and time, never a body) and, on failure, queues the next attempt hidden for <see cref="WebhookBackoff"/>'s
/// delay. 410 Gone disables the webhook. The last failed attempt throws. Never logs a URL or a body.
/// </summary>
public sealed class WebhookDelivery(
    WebhookStore store,
    WebhookCipher cipher,
    WebhookSender sender,
    WorkQueue queue,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDelivery> logger)
{
    public async Task HandleAsync(string messageText, CancellationToken cancellationToken)
    {
        var message = QueueMessageJson.Read<WebhookDeliveryMessage>(messageText, WebhookDeliveryMessage.CurrentSchemaVersion);
        if (!AgencyIds.IsValid(message.AgencyId) || !WebhookNames.IsValid(message.Name) || !WebhookDispatcher.IsEventId(message.EventId)
            || !WebhookDispatcher.IsKind(message.Kind) || message.Attempt < 1 || message.Attempt > WebhookBackoff.MaxAttempts)
        {
            throw new UnreadableMessageException("A webhook delivery carries an agency id, a webhook name, an event id, a kind and an attempt from 1 to " + WebhookBackoff.MaxAttempts + ".");
        }

        var messageId = WebhookSigning.MessageId(message.AgencyId, message.Name, message.EventId);
        var webhook = await store.FindAsync(message.AgencyId, message.Name, cancellationToken);
        if (webhook is null || webhook.DisabledAt is not null)
        {
            logger.LogInformation("Webhook delivery {WebhookMessageId} dropped: webhook {WebhookName} of agency {AgencyId} is {State}", messageId, message.Name, message.AgencyId, webhook is null ? "deleted" : "disabled");
            return;
        }

        var now = clock.GetUtcNow();
        var format = Enum.Parse<WebhookFormat>(webhook.Format);
        var body = WebhookPayloads.For(format, message, options.Value.InboxUrl!);
        var url = new Uri(cipher.Decrypt(webhook.SealedUrl, message.AgencyId, message.Name, WebhookFields.Url));
        var result = await sender.PostAsync(url, body, Headers(webhook, format, message, messageId, now, body), cancellationToken);

        var retryDelay = result.Outcome is WebhookOutcome.Delivered or WebhookOutcome.Gone ? null : WebhookBackoff.After(message.Attempt);
        if (retryDelay is { } delay)
        {
            // The next attempt is queued before this one is recorded: a failure in between sends it twice (the
            // receiver drops the duplicate by webhook-id), never not at all.
            await queue.SendAsync(WebhookDispatcher.Queue, message.Next(), delay, cancellationToken);
        }

        var attempt = new WebhookAttempt(message.EventId, message.Attempt, now, result.Outcome, result.Status, retryDelay is { } wait ? now + wait : null);
        await store.RecordAttemptAsync(message.AgencyId, message.Name, attempt, cancellationToken);
        logger.LogInformation(
            "Webhook delivery {WebhookMessageId} to {WebhookName} of agency {AgencyId}, attempt {Attempt}: {Outcome} {Status}",
            messageId,
            message.Name,
            message.AgencyId,
            message.Attempt,
            result.Outcome,
            result.Status);

        if (result.Outcome is not (WebhookOutcome.Delivered or WebhookOutcome.Gone) && retryDelay is null)
        {
            throw new WebhookDeliveryFailedException($"Webhook delivery {messageId} to {message.Name} of agency {message.AgencyId} failed all {WebhookBackoff.MaxAttempts} attempts.");
        }
    }

    private Dictionary<string, string> Headers(WebhookEntity webhook, WebhookFormat format, WebhookDeliveryMessage message, string messageId, DateTimeOffset now, string body)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (format != WebhookFormat.Generic || webhook.SealedSecret is null)
        {
            return headers;
        }

        var secret = cipher.Decrypt(webhook.SealedSecret, message.AgencyId, message.Name, WebhookFields.Secret);
        var previous = webhook.SealedPreviousSecret is { } sealedPrevious && webhook.PreviousSecretUntil > now
            ? cipher.Decrypt(sealedPrevious, message.AgencyId, message.Name, WebhookFields.PreviousSecret)
            : null;
        headers[WebhookSigning.IdHeader] = messageId;
        headers[WebhookSigning.TimestampHeader] = WebhookSigning.Timestamp(now);
        headers[WebhookSigning.SignatureHeader] = WebhookSigning.Header(secret, previous, messageId, now, body);
        return headers;
    }
}
