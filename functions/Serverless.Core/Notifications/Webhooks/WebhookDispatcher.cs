using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Agencies;
using Serverless.Queues;

namespace Serverless.Notifications.Webhooks;

/// <summary>
/// Where an agency's events turn into webhook deliveries: one message per registered (and not disabled) webhook on
/// the <c>webhook-deliveries</c> queue, ids only. The inbox fan-out calls it once it has stored what it tells.
/// Nothing is sent while webhooks are off (<see cref="WebhookOptions.Enabled"/>).
/// </summary>
public sealed partial class WebhookDispatcher(WebhookStore store, WorkQueue queue, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger)
{
    public const string Queue = "webhook-deliveries";

    /// <param name="agencyId">The agency whose channels are told.</param>
    /// <param name="webhookEvent">An opaque id chosen by the caller (letters, digits, '-' and '_', at most 64; never
    /// derived from a case id), a kind (lowercase words joined by '.' or '-'), urgency and time.</param>
    public async Task EnqueueAsync(string agencyId, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        if (!AgencyIds.IsValid(agencyId))
        {
            throw new ArgumentException("Not an agency id.", nameof(agencyId));
        }

        if (!EventIdShape().IsMatch(webhookEvent.EventId) || !KindShape().IsMatch(webhookEvent.Kind))
        {
            throw new ArgumentException("A webhook event carries an opaque id ([A-Za-z0-9_-], at most 64) and a kind (lowercase words joined by '.' or '-').", nameof(webhookEvent));
        }

        if (!options.Value.Enabled)
        {
            return;
        }

        var webhooks = (await store.ListAsync(agencyId, cancellationToken)).Where(webhook => webhook.DisabledAt is null).ToList();
        await Task.WhenAll(webhooks.Select(webhook => queue.SendAsync(Queue, WebhookDeliveryMessage.First(agencyId, webhook.RowKey, webhookEvent), cancellationToken)));
        logger.LogInformation("Event {EventId} of agency {AgencyId} queued for {WebhookCount} webhooks", webhookEvent.EventId, agencyId, webhooks.Count);
    }

    /// <summary>As <see cref="EnqueueAsync(string, WebhookEvent, CancellationToken)"/> for several agencies at once (an
    /// entry told the staff of many): one read of the webhook table, whatever their number.</summary>
    public async Task EnqueueAsync(IEnumerable<string> agencyIds, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        var agencies = agencyIds.ToHashSet(StringComparer.Ordinal);
        if (agencies.Count <= 1)
        {
            await Task.WhenAll(agencies.Select(agencyId => EnqueueAsync(agencyId, webhookEvent, cancellationToken)));
            return;
        }

        ArgumentNullException.ThrowIfNull(webhookEvent);
        if (agencies.Any(agencyId => !AgencyIds.IsValid(agencyId)) || !EventIdShape().IsMatch(webhookEvent.EventId) || !KindShape().IsMatch(webhookEvent.Kind))
        {
            throw new ArgumentException("Agency ids, an opaque event id ([A-Za-z0-9_-], at most 64) and a kind (lowercase words joined by '.' or '-').", nameof(webhookEvent));
        }

        if (!options.Value.Enabled)
        {
            return;
        }

        var webhooks = await store.EnabledOfAsync(agencies, cancellationToken);
        await Task.WhenAll(webhooks.Select(webhook => queue.SendAsync(Queue, WebhookDeliveryMessage.First(webhook.AgencyId, webhook.Name, webhookEvent), cancellationToken)));
        logger.LogInformation("Event {EventId} of {AgencyCount} agencies queued for {WebhookCount} webhooks", webhookEvent.EventId, agencies.Count, webhooks.Count);
    }

    public static bool IsEventId(string? text) => text is not null && EventIdShape().IsMatch(text);

    public static bool IsKind(string? text) => text is not null && KindShape().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex EventIdShape();

    [GeneratedRegex("^(?=.{1,64}$)[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$")]
    private static partial Regex KindShape();
}
