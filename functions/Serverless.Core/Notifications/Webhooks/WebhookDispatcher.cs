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
    public Task EnqueueAsync(string agencyId, WebhookEvent webhookEvent, CancellationToken cancellationToken)
        => EnqueueAsync([agencyId], webhookEvent, cancellationToken);

    /// <summary>As for one agency, for several at once (an entry told the staff of many): one partition query for one
    /// agency, one read of the (small) webhook table for more, whatever their number.</summary>
    public async Task EnqueueAsync(IEnumerable<string> agencyIds, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var agencies = agencyIds.ToHashSet(StringComparer.Ordinal);
        if (agencies.Any(agencyId => !AgencyIds.IsValid(agencyId)))
        {
            throw new ArgumentException("Not an agency id.", nameof(agencyIds));
        }

        if (!EventIdShape().IsMatch(webhookEvent.EventId) || !KindShape().IsMatch(webhookEvent.Kind))
        {
            throw new ArgumentException("A webhook event carries an opaque id ([A-Za-z0-9_-], at most 64) and a kind (lowercase words joined by '.' or '-').", nameof(webhookEvent));
        }

        if (!options.Value.Enabled || agencies.Count == 0)
        {
            return;
        }

        var webhooks = agencies.Count == 1 && agencies.Single() is var only
            ? [.. (await store.ListAsync(only, cancellationToken)).Where(webhook => webhook.DisabledAt is null).Select(webhook => (only, webhook.RowKey))]
            : await store.EnabledOfAsync(agencies, cancellationToken);
        await Task.WhenAll(webhooks.Select(webhook => queue.SendAsync(Queue, WebhookDeliveryMessage.First(webhook.Item1, webhook.Item2, webhookEvent), cancellationToken)));
        logger.LogInformation("Event {EventId} of {AgencyCount} agencies queued for {WebhookCount} webhooks", webhookEvent.EventId, agencies.Count, webhooks.Count);
    }

    public static bool IsEventId(string? text) => text is not null && EventIdShape().IsMatch(text);

    public static bool IsKind(string? text) => text is not null && KindShape().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex EventIdShape();

    [GeneratedRegex("^(?=.{1,64}$)[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$")]
    private static partial Regex KindShape();
}
