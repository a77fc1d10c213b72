using System.Security.Cryptography;
using Serverless.Backup;

namespace Serverless.Transfers.Keys;

/// <summary>
/// A partner council's two public keys as an admin pastes them (PEM): an RSA key of at least 3072 bits that packages
/// are encrypted to (the backup envelope's rule), and a P-256 key its signatures are checked with (as backup
/// manifests are signed). A private key is refused: it never belongs in another council's system.
/// </summary>
internal static class PartnerKeys
{
    /// <summary>The encryption key, or the reason it cannot be used (never echoing the PEM).</summary>
    public static RSA? ImportEncryptionKey(string pem, out string? problem)
    {
        try
        {
            problem = null;
            return BackupEnvelope.ImportPublicKey(pem, "the encryption key");
        }
        catch (BackupKeyException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    public static ECDsa? ImportVerificationKey(string pem, out string? problem)
    {
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label].Contains("PRIVATE", StringComparison.Ordinal))
        {
            problem = "the verification key must be a P-256 PUBLIC key in PEM form.";
            return null;
        }

        try
        {
            problem = null;
            return ManifestKeys.ImportP256(pem, "the verification key", requirePrivate: false);
        }
        catch (BackupKeyException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>The PEM of a key's public half, as the other council registers it.</summary>
    public static string PublicPem(AsymmetricAlgorithm key) => PemEncoding.WriteString("PUBLIC KEY", key.ExportSubjectPublicKeyInfo());
}
