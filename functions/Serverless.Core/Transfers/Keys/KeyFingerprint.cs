using System.Security.Cryptography;

namespace Serverless.Transfers.Keys;

/// <summary>
/// A public key's fingerprint: SHA-256 of its SubjectPublicKeyInfo, lower-case hex (64 characters). The same for an
/// RSA and an EC key; backups name their keys the same way. People read fingerprints out over the phone, so what they
/// type back is compared after <see cref="Normalize"/>: colons, spaces and hyphens dropped, case ignored.
/// </summary>
public static class KeyFingerprint
{
    public static string Of(AsymmetricAlgorithm key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>The fingerprint as typed, reduced to lower-case hex; null when what is left is not 64 hex digits.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null)
        {
            return null;
        }

        var hex = new string([.. typed.Where(c => c is not (':' or ' ' or '-' or '\u3000')).Select(char.ToLowerInvariant)]);
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    /// <summary>True when <paramref name="typed"/> names exactly <paramref name="fingerprint"/> (constant time).</summary>
    public static bool Matches(string? typed, string fingerprint)
        => Normalize(typed) is { } normalized
            && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(normalized), System.Text.Encoding.ASCII.GetBytes(fingerprint));

    /// <summary>Groups of four for reading aloud: <c>1a2b:3c4d:…</c>.</summary>
    public static string Grouped(string fingerprint)
        => string.Join(':', Enumerable.Range(0, fingerprint.Length / 4).Select(i => fingerprint.Substring(i * 4, 4)));
}
