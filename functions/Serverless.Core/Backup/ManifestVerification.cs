using Azure.Core;

namespace Serverless.Backup;

/// <summary>What a restore found when it checked a backup's <see cref="ManifestSignature"/>.</summary>
internal enum ManifestTrust
{
    /// <summary>Signed by the trusted key, over exactly this manifest.</summary>
    Verified,

    /// <summary>No <c>manifest.sig</c>, or not one this tool can read.</summary>
    Unsigned,

    /// <summary>Signed by a key other than the trusted one.</summary>
    UnknownKey,

    /// <summary>Signed by the trusted key, but not over this manifest (it was changed after signing).</summary>
    BadSignature,

    /// <summary>No trusted key was given, so nothing could be checked.</summary>
    NoTrustedKey,
}

internal static class ManifestVerification
{
    /// <summary>Checks <c>{root}/{backupId}/manifest.json</c> against its <c>manifest.sig</c> and the trusted key
    /// (a PEM public key file or a Key Vault key URL; null when none was given).</summary>
    public static async Task<(ManifestTrust Trust, string? KeyId)> CheckAsync(
        string root, string backupId, string? trustedKey, Func<TokenCredential> credential, HttpClient http, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(root, backupId, BackupManifest.FileName);
        var signaturePath = Path.Combine(root, backupId, ManifestSignature.FileName);
        if (!File.Exists(manifestPath) || !File.Exists(signaturePath))
        {
            return (ManifestTrust.Unsigned, null);
        }

        var signature = ManifestSignature.Parse(await File.ReadAllBytesAsync(signaturePath, cancellationToken));
        if (signature is null)
        {
            return (ManifestTrust.Unsigned, null);
        }

        if (trustedKey is null)
        {
            return (ManifestTrust.NoTrustedKey, signature.KeyId);
        }

        var isVault = trustedKey.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        using var key = await ManifestKeys.TrustedKeyAsync(trustedKey, signature, isVault ? credential() : null, http, cancellationToken);
        if (key is null)
        {
            return (ManifestTrust.UnknownKey, signature.KeyId);
        }

        return (signature.Verifies(key, await File.ReadAllBytesAsync(manifestPath, cancellationToken)) ? ManifestTrust.Verified : ManifestTrust.BadSignature, signature.KeyId);
    }
}
