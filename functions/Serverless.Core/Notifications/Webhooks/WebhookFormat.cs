namespace Serverless.Notifications.Webhooks;

/// <summary>What a webhook's receiver expects (in JSON: <c>generic</c>, <c>teams</c>, <c>slack</c>).</summary>
public enum WebhookFormat
{
    /// <summary>The event as JSON for a machine (a relay, a municipality's own system), signed as the Standard
    /// Webhooks specification says.</summary>
    Generic,

    /// <summary>A Microsoft Teams Workflows webhook: a message with one Adaptive Card.</summary>
    Teams,

    /// <summary>A Slack incoming webhook: <c>{"text": ...}</c>.</summary>
    Slack,
}
