namespace Serverless.Notifications.Webhooks;

/// <summary>The shape of a webhook URL (https, a host, no credentials) and how admins see it: scheme and host only.</summary>
public static class WebhookUrls
{
    /// <summary>The URL when it is an absolute https URL with a host and no user information; null otherwise.</summary>
    public static Uri? Parse(string? text)
        => text is { Length: > 0 and <= WebhookLimits.MaxUrlLength }
            && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttps
            && uri.Host.Length > 0
            && uri.UserInfo.Length == 0
                ? uri
                : null;

    /// <summary>True for an absolute URL of another scheme (http://, ftp://): the caller is told https is required.</summary>
    public static bool IsOtherScheme(string? text)
        => text is not null && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeHttps;

    /// <summary><c>https://host[:port]/…</c>: the path and query (where Teams keeps its <c>sig=</c>) are the secret part.</summary>
    public static string Mask(Uri url) => $"{url.Scheme}://{url.Authority}/…";
}
