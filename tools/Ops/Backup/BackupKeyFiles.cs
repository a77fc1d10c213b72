using System.Security.Cryptography;
using Serverless.Backup;

namespace Serverless.Ops.Backup;

/// <summary>Backup keys from PEM files on the operator's machine; a key that cannot be used is a usage error.</summary>
internal static class BackupKeyFiles
{
    /// <summary>The recipient's public key; refuses private keys (they never belong on IT's machine) and short keys.</summary>
    public static RSA LoadPublicKey(string path)
    {
        var pem = ReadPem(path, "--recipient-key");
        try
        {
            return BackupEnvelope.ImportPublicKey(pem, path);
        }
        catch (BackupKeyException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>The coordinating body's private key (PKCS#8, PKCS#1, or password-protected PKCS#8).</summary>
    public static RSA LoadPrivateKey(string path, string? password)
    {
        var pem = ReadPem(path, "--private-key");
        try
        {
            return BackupEnvelope.ImportPrivateKey(pem, password, path);
        }
        catch (BackupKeyException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>A P-256 private key that signs backup manifests (a dev key, with Azurite).</summary>
    public static PemManifestSigner LoadSigningKey(string path)
    {
        var pem = ReadPem(path, "--signing-key");
        try
        {
            return new PemManifestSigner(pem, path);
        }
        catch (BackupKeyException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static string ReadPem(string path, string option)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: cannot read {path}: {ex.Message}");
        }
    }
}
