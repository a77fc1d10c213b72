using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Serverless.Notifications.Webhooks;

/// <summary>
/// Encrypts a webhook's URL and signing secrets at rest with AES-256-GCM (<see cref="WebhookOptions.EncryptionKey"/>):
/// a Teams or Slack URL is itself a credential (a Teams URL carries its <c>sig=</c>). Each value is bound to its row
/// and field (the associated data), so a ciphertext copied into another webhook's row does not decrypt there.
/// Stored as <c>v1.</c> + base64(nonce ‖ ciphertext ‖ tag).
/// </summary>
public sealed class WebhookCipher(IOptions<WebhookOptions> options)
{
    private const string Version = "v1.";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly Lazy<byte[]> key = new(() => options.Value.KeyBytes());

    public string Encrypt(string plaintext, string agencyId, string name, string field)
    {
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceBytes + clear.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Value, TagBytes);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(NonceBytes, clear.Length), sealedBytes.AsSpan(NonceBytes + clear.Length), Context(agencyId, name, field));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Throws <see cref="CryptographicException"/> when the value was not sealed for this row and field with
    /// this key (another key, another row, or tampered).</summary>
    public string Decrypt(string stored, string agencyId, string name, string field)
    {
        if (!stored.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("Not a sealed webhook value of a known version.");
        }

        var sealedBytes = Convert.FromBase64String(stored[Version.Length..]);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("A sealed webhook value is too short.");
        }

        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var clear = new byte[length];
        using var aes = new AesGcm(key.Value, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), clear, Context(agencyId, name, field));
        return Encoding.UTF8.GetString(clear);
    }

    private static byte[] Context(string agencyId, string name, string field) => Encoding.UTF8.GetBytes($"webhook\n{agencyId}\n{name}\n{field}");
}
