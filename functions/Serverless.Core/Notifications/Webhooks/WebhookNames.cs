using System.Text.RegularExpressions;

namespace Serverless.Notifications.Webhooks;

/// <summary>A webhook's name within its agency: a short slug an admin chooses (<c>teams-kodomo</c>), 1 to 40
/// lowercase letters, digits and dashes, starting and ending with a letter or digit. It is a table key: never a
/// person's name.</summary>
public static partial class WebhookNames
{
    public static bool IsValid(string? name) => name is not null && Shape().IsMatch(name);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")]
    private static partial Regex Shape();
}

/// <summary>The sealed fields of a webhook row (the associated data of <see cref="WebhookCipher"/>).</summary>
public static class WebhookFields
{
    public const string Url = "url";
    public const string Secret = "secret";
    public const string PreviousSecret = "previous-secret";
}
