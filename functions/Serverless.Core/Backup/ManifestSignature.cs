using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.Backup;

/// <summary>
/// <c>manifest.sig</c>, beside <c>manifest.json</c>: an ES256 signature (ECDSA P-256 over SHA-256, r||s) of the
/// manifest's exact bytes, by a key the app holds and nobody can read out (a Key Vault key in Azure). The manifest
/// names every file of the backup by its SHA-256, so a valid signature covers the whole backup; the encryption alone
/// does not, because it uses the coordinating body's public key, which anyone may have.
/// </summary>
/// <param name="KeyId">Which key signed: a Key Vault key version URL, or <c>local:sha256:{fingerprint}</c> for a PEM key.</param>
/// <param name="Signature">Base64 of the 64-byte r||s signature.</param>
internal sealed record ManifestSignature(string Algorithm, string KeyId, string Signature)
{
    public const string FileName = "manifest.sig";
    public const string Es256 = "ES256";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The signature file's content, or null when it is not one (a wrong or damaged file counts as unsigned).</summary>
    public static ManifestSignature? Parse(byte[] json)
    {
        try
        {
            var signature = JsonSerializer.Deserialize<ManifestSignature>(json, Json);
            return signature is { Algorithm: Es256, KeyId.Length: > 0, Signature.Length: > 0 } ? signature : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="key"/> made this signature over exactly <paramref name="manifest"/>.</summary>
    public bool Verifies(ECDsa key, byte[] manifest)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return signature.Length == 64 && key.VerifyData(manifest, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The id a local (PEM) key signs under: the SHA-256 of its public key.</summary>
    public static string LocalKeyId(ECDsa key) => "local:sha256:" + BackupEnvelope.Sha256(key.ExportSubjectPublicKeyInfo());
}
