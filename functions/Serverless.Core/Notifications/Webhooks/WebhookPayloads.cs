using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Notifications.Webhooks;

/// <summary>
/// The bodies webhooks carry. A chat channel reaches a whole staff room, so the chat formats say only that there is
/// something new (urgent or not) and link to the inbox: no case id, no name, no category, no text about a child. The
/// generic JSON, for a machine, adds the event's kind, its opaque id, the agency and the time.
/// </summary>
public static class WebhookPayloads
{
    public const string Notice = "新しいお知らせがあります";
    public const string UrgentNotice = "至急：新しいお知らせがあります";
    public const string OpenInbox = "受信箱を開く";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string For(WebhookFormat format, WebhookDeliveryMessage message, string inboxUrl) => format switch
    {
        WebhookFormat.Generic => Generic(message, inboxUrl),
        WebhookFormat.Teams => Teams(message.Urgent, inboxUrl),
        WebhookFormat.Slack => Slack(message.Urgent, inboxUrl),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary><c>{type, urgent, eventId, agencyId, occurredAt, inboxUrl}</c>.</summary>
    public static string Generic(WebhookDeliveryMessage message, string inboxUrl)
        => Write(new JsonObject
        {
            ["type"] = message.Kind,
            ["urgent"] = message.Urgent,
            ["eventId"] = message.EventId,
            ["agencyId"] = message.AgencyId,
            ["occurredAt"] = message.OccurredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["inboxUrl"] = inboxUrl,
        });

    /// <summary>A Teams Workflows webhook message ("Post to a channel when a webhook request is received"): one
    /// Adaptive Card with the sentence and a button to the inbox.</summary>
    public static string Teams(bool urgent, string inboxUrl)
        => Write(new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["content"] = new JsonObject
                {
                    ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.4",
                    ["body"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "TextBlock",
                        ["text"] = Sentence(urgent),
                        ["weight"] = "Bolder",
                        ["color"] = urgent ? "Attention" : "Default",
                        ["wrap"] = true,
                    }),
                    ["actions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "Action.OpenUrl",
                        ["title"] = OpenInbox,
                        ["url"] = inboxUrl,
                    }),
                },
            }),
        });

    /// <summary>A Slack incoming webhook: the sentence and a link (<c>&lt;url|text&gt;</c>, Slack's escapes applied).</summary>
    public static string Slack(bool urgent, string inboxUrl)
        => Write(new JsonObject { ["text"] = $"{Sentence(urgent)} <{SlackEscape(inboxUrl)}|{OpenInbox}>" });

    public static string Sentence(bool urgent) => urgent ? UrgentNotice : Notice;

    private static string SlackEscape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Write(JsonObject body) => body.ToJsonString(Compact);
}
