using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Serverless.Notifications.Webhooks;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com): <c>webhook-signature: v1,base64(HMAC-SHA256(secret,
/// "{webhook-id}.{webhook-timestamp}.{body}"))</c>, the secret shown as <c>whsec_</c> + base64 of its bytes. Written
/// here rather than taken from the StandardWebhooks package, which needs ASP.NET Core (Core must not); the tests
/// verify every signature with that package.
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";

    /// <summary>The header names of the specification.</summary>
    public const string IdHeader = "webhook-id";

    public const string TimestampHeader = "webhook-timestamp";

    public const string SignatureHeader = "webhook-signature";

    /// <summary>A new secret: 32 random bytes (the specification asks for 24 to 64).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The <c>webhook-id</c> of an event's delivery to one webhook: the same for every attempt and every duplicate
    /// of the queue message, so a receiver can drop what it has already handled; different for each webhook. Derived,
    /// opaque: nothing of the event id, agency or name can be read back from it.
    /// </summary>
    public static string MessageId(string agencyId, string webhookName, string eventId)
        => "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{agencyId}\n{webhookName}\n{eventId}")).AsSpan(0, 16));

    /// <summary>One <c>v1,...</c> signature.</summary>
    public static string Sign(string secret, string messageId, DateTimeOffset timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{Timestamp(timestamp)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>
    /// The header value: the current secret's signature and, during a rotation's overlap, the previous secret's
    /// after it (the specification's space-separated list). The current one is then written once more at the end:
    /// StandardWebhooks 1.1.2 (.NET) never compares the last signature of a list, so without the repeat a receiver
    /// on that package still holding the previous secret would refuse every message of the overlap. A conforming
    /// verifier simply finds a match sooner.
    /// </summary>
    public static string Header(string currentSecret, string? previousSecret, string messageId, DateTimeOffset timestamp, string body)
    {
        var current = Sign(currentSecret, messageId, timestamp, body);
        return previousSecret is null ? current : $"{current} {Sign(previousSecret, messageId, timestamp, body)} {current}";
    }

    /// <summary>Seconds since the epoch, as <c>webhook-timestamp</c> carries them.</summary>
    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
