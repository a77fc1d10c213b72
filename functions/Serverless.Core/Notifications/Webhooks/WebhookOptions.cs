using System.ComponentModel.DataAnnotations;

namespace Serverless.Notifications.Webhooks;

/// <summary>
/// Webhooks (configuration section <c>Webhooks</c>). Off while <see cref="EncryptionKey"/> is empty: registration
/// refuses and events are not sent. Once a key is given, both settings are checked at start-up and a bad one stops
/// the app.
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    public const int MaxInboxUrlLength = 500;

    /// <summary>Base64 of exactly 32 random bytes: the AES-256-GCM key that encrypts webhook URLs and signing
    /// secrets at rest. In Azure a Key Vault reference; locally a public development key. Changing it makes every
    /// stored webhook unreadable (admins register them again).</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Where staff read their notifications (the municipality's front end): the only link a webhook
    /// carries. https (http only on this machine, for development).</summary>
    public string? InboxUrl { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(EncryptionKey);

    /// <summary>The key's 32 bytes; only when <see cref="Enabled"/> and valid (checked at start-up).</summary>
    public byte[] KeyBytes()
        => TryKey(EncryptionKey, out var key) ? key : throw new InvalidOperationException("Webhooks:EncryptionKey is not base64 of 32 bytes.");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!TryKey(EncryptionKey, out _))
        {
            yield return new ValidationResult("Webhooks:EncryptionKey must be base64 of exactly 32 random bytes (in Azure, a Key Vault reference that resolved).", [nameof(EncryptionKey)]);
        }

        if (!IsInboxUrl(InboxUrl))
        {
            yield return new ValidationResult(
                $"Webhooks:InboxUrl must be an absolute https URL of at most {MaxInboxUrlLength} characters without credentials, spaces, quotes, < > or | (http only for localhost): the link every webhook message carries.",
                [nameof(InboxUrl)]);
        }
    }

    private static bool TryKey(string? text, out byte[] key)
    {
        var buffer = new byte[text?.Length ?? 0];
        if (text is { Length: > 0 } && Convert.TryFromBase64String(text, buffer, out var length) && length == 32)
        {
            key = buffer[..32];
            return true;
        }

        key = [];
        return false;
    }

    private static bool IsInboxUrl(string? text)
        => text is { Length: > 0 and <= MaxInboxUrlLength }
            && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '|' or '"' or '\'')
            && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && uri.UserInfo.Length == 0
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
