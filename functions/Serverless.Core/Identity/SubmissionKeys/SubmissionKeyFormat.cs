using System.Buffers.Text;
using System.Security.Cryptography;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// The shape of a submission key: <c>sk_{keyId}_{secret}</c>. The key id is 10 random lowercase base32
/// characters, the visible part (safe in logs, audit entries and admin screens); the secret is 32 random
/// bytes in base64url without padding (43 characters), shown once and stored only as its SHA-256.
/// </summary>
/// <remarks>
/// A plain SHA-256 is the right hash here, unlike for passwords: the secret is 256 random bits, so there
/// is no dictionary to try and no point in a slow or salted hash; a stolen hash is as hard to reverse as
/// guessing the key. The hash covers the secret's bytes, not its text.
/// </remarks>
public static partial class SubmissionKeyFormat
{
    public const string Prefix = "sk_";
    public const int KeyIdLength = 10;
    public const int SecretBytes = 32;

    /// <summary>Characters of the secret: base64url of 32 bytes without padding.</summary>
    public const int SecretLength = 43;

    /// <summary><c>sk_</c> + key id + <c>_</c> + secret.</summary>
    public const int KeyLength = 3 + KeyIdLength + 1 + SecretLength;

    /// <summary>RFC 4648 base32 in lowercase: no 0/1/8/9, so ids read aloud without confusion.</summary>
    private const string KeyIdAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A fresh key id (50 random bits: ids are not secret, only unique; inserts detect the rare clash).</summary>
    public static string NewKeyId()
        => RandomNumberGenerator.GetString(KeyIdAlphabet, KeyIdLength);

    /// <summary>A fresh secret: 32 bytes from the operating system's CSPRNG.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    public static string Format(string keyId, ReadOnlySpan<byte> secret)
    {
        if (!IsKeyId(keyId) || secret.Length != SecretBytes)
        {
            throw new ArgumentException("A key is a 10-character key id and a 32-byte secret.");
        }

        return Prefix + keyId + "_" + Base64Url.EncodeToString(secret);
    }

    public static bool IsKeyId(string? keyId)
        => keyId is { Length: KeyIdLength } && keyId.All(c => KeyIdAlphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>
    /// Splits a presented key strictly: exact length, prefix, key id alphabet, separator, and a secret
    /// that is the canonical base64url of 32 bytes. Anything else is refused before storage is touched.
    /// Positions, not splitting on <c>_</c>: the secret's alphabet contains <c>_</c>.
    /// </summary>
    public static bool TryParse(string? presented, out string keyId, out byte[] secret)
    {
        keyId = "";
        secret = [];
        if (presented is not { Length: KeyLength } || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented[Prefix.Length + KeyIdLength] != '_')
        {
            return false;
        }

        var id = presented.Substring(Prefix.Length, KeyIdLength);
        var text = presented.AsSpan(Prefix.Length + KeyIdLength + 1);
        if (!IsKeyId(id) || !IsBase64UrlText(text))
        {
            return false;
        }

        var bytes = new byte[SecretBytes];
        if (Base64Url.DecodeFromChars(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != SecretBytes
            || !text.SequenceEqual(Base64Url.EncodeToString(bytes)))
        {
            return false; // e.g. a last character with bits that 32 bytes cannot have
        }

        keyId = id;
        secret = bytes;
        return true;
    }

    public static byte[] Hash(ReadOnlySpan<byte> secret) => SHA256.HashData(secret);

    /// <summary>Compares the secret's hash with the stored one in constant time.</summary>
    public static bool Matches(ReadOnlySpan<byte> secret, string storedHashBase64)
    {
        var stored = new byte[SHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(storedHashBase64, stored, out var length) || length != SHA256.HashSizeInBytes)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Hash(secret), stored);
    }

    /// <summary>
    /// Whether <paramref name="text"/> (a URL's path or query) holds anything shaped like a key, also once or twice
    /// percent-decoded: a key in a URL is a leaked key (proxies, browser history and logs keep URLs).
    /// </summary>
    public static bool AppearsIn(string? text)
    {
        for (var pass = 0; pass < 3 && !string.IsNullOrEmpty(text); pass++)
        {
            if (KeyShape().IsMatch(text))
            {
                return true;
            }

            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text)
            {
                return false;
            }

            text = decoded;
        }

        return false;
    }

    /// <summary>Anything shaped like a key (sk_, the id, the secret), wherever it sits.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("sk_[a-z0-9]{10}_[A-Za-z0-9_-]{43}")]
    private static partial System.Text.RegularExpressions.Regex KeyShape();

    private static bool IsBase64UrlText(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
