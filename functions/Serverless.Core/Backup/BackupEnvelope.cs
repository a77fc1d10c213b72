using System.Security.Cryptography;
using System.Text;

namespace Serverless.Backup;

/// <summary>
/// One encrypted backup file: a fresh random AES-256-GCM key per file, wrapped with RSA-OAEP-SHA256
/// for the coordinating body's public key. Only System.Security.Cryptography does the cryptography.
/// Layout: <c>"SVOPSBK1"</c>, the wrapped key's length (2 bytes, big-endian), the wrapped key, the
/// 12-byte nonce, the 16-byte tag, then the ciphertext. The header and the file's place in the backup
/// (<c>backupId/file</c>) are the associated data, so a file cannot be moved to another slot or backup
/// without the tag check failing.
/// </summary>
/// <remarks>
/// Confidentiality and integrity against damage, not authorship: anyone holding the public key can
/// make a valid file, so the backup folder itself must be write-protected like any other backup.
/// </remarks>
internal static class BackupEnvelope
{
    public const int MinimumKeyBits = 3072;

    private static readonly byte[] Magic = "SVOPSBK1"u8.ToArray();

    public static byte[] Encrypt(RSA recipient, ReadOnlySpan<byte> plaintext, string slot)
        => HybridEnvelope.Encrypt(recipient, plaintext, Magic, Encoding.UTF8.GetBytes(slot));

    /// <summary>The plaintext; <see cref="BackupFailedException"/> when the key does not fit or the file was changed.</summary>
    public static byte[] Decrypt(RSA privateKey, byte[] file, string slot)
        => HybridEnvelope.Decrypt(privateKey, file, Magic, Encoding.UTF8.GetBytes(slot), out var failure) ?? throw new BackupFailedException(failure switch
        {
            HybridFailure.NotThisFormat => $"{slot} is not a backup file.",
            HybridFailure.Truncated => $"{slot} is truncated.",
            HybridFailure.WrongKey => $"{slot}: the private key cannot unwrap this file's key (wrong key, or the file was changed).",
            _ => $"{slot} failed the AES-GCM integrity check: the file was changed or damaged.",
        });

    /// <summary>SHA-256 of the key's SubjectPublicKeyInfo, hex: names the key in manifests and messages.</summary>
    public static string Fingerprint(RSA key) => Transfers.Keys.KeyFingerprint.Of(key);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The recipient's public key from PEM text; refuses private keys (they never belong where backups
    /// are made: not on IT's machine, not in the app's settings) and short keys.
    /// <paramref name="source"/> names where the PEM came from (a file, a setting) in the message.
    /// </summary>
    public static RSA ImportPublicKey(string pem, string source)
    {
        var label = PemLabel(pem, source);
        if (label.Contains("PRIVATE", StringComparison.Ordinal))
        {
            throw new BackupKeyException($"{source} is a private key. Give the coordinating body's PUBLIC key (coordinator.pub.pem): the private key must never be on the machine that runs backups.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new BackupKeyException($"{source} is not an RSA public key in PEM form: {ex.Message}");
        }

        return RequireSize(rsa, source);
    }

    /// <summary>The coordinating body's private key (PKCS#8, PKCS#1, or password-protected PKCS#8), from PEM text.</summary>
    public static RSA ImportPrivateKey(string pem, string? password, string source)
    {
        var label = PemLabel(pem, source);
        if (!label.Contains("PRIVATE", StringComparison.Ordinal))
        {
            throw new BackupKeyException($"{source} is not a private key (its PEM label is '{label}').");
        }

        var encrypted = label == "ENCRYPTED PRIVATE KEY";
        if (encrypted && password is null)
        {
            throw new BackupKeyException($"{source} is password-protected: name the environment variable that holds the password with --password-env.");
        }

        var rsa = RSA.Create();
        try
        {
            if (encrypted)
            {
                rsa.ImportFromEncryptedPem(pem, password);
            }
            else
            {
                rsa.ImportFromPem(pem);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new BackupKeyException(encrypted
                ? $"{source} could not be opened: wrong password, or not an RSA private key."
                : $"{source} is not an RSA private key in PEM form: {ex.Message}");
        }

        return RequireSize(rsa, source);
    }

    private static RSA RequireSize(RSA rsa, string source)
    {
        if (rsa.KeySize < MinimumKeyBits)
        {
            var bits = rsa.KeySize;
            rsa.Dispose();
            throw new BackupKeyException($"{source} is a {bits}-bit RSA key; backups need at least {MinimumKeyBits} bits.");
        }

        return rsa;
    }

    private static string PemLabel(string pem, string source)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new BackupKeyException($"{source} is not a PEM file.");
        }

        return pem[fields.Label];
    }

}

/// <summary>The backup or restore could not be completed (a file changed, a key that does not fit, a non-empty target): the ops tool exits 1.</summary>
internal sealed class BackupFailedException(string message) : Exception(message);

/// <summary>A key that cannot be used: a private key given as the recipient, a short key, not PEM. A usage error in the ops tool, a refused setting in the app.</summary>
internal sealed class BackupKeyException(string message) : Exception(message);
