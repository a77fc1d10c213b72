using Microsoft.Extensions.Options;
using Serverless.Backup;
using Serverless.Storage;

namespace Serverless.Transfers.Identity;

/// <summary>
/// This council's transfer signer: the P-256 PEM key (<c>Transfers:SigningKeyPem</c>) locally, or the Key Vault key at
/// <c>Transfers:SigningKeyUri</c> through the same <see cref="KeyVaultManifestSigner"/> backups use (the vault signs; the
/// private key never leaves it). The PEM wins when both are set, so tests never reach a vault.
/// </summary>
public sealed class TransferSigning(IOptions<TransferOptions> options, IOptions<StorageOptions> storage)
{
    private static readonly HttpClient Http = new();

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.SigningKeyPem) || options.Value.SigningKeyUri is not null;

    /// <summary>A signer for one message; dispose it (a PEM signer holds the key). Throws when not configured.</summary>
    internal IManifestSigner Create()
    {
        var value = options.Value;
        if (!string.IsNullOrWhiteSpace(value.SigningKeyPem))
        {
            return new PemManifestSigner(value.SigningKeyPem, "Transfers:SigningKeyPem");
        }

        return value.SigningKeyUri is { } uri
            ? new KeyVaultManifestSigner(uri, StorageClients.CreateCredential(storage.Value.ManagedIdentityClientId), Http)
            : throw new InvalidOperationException("No transfer signing key: set Transfers:SigningKeyUri (Key Vault) or Transfers:SigningKeyPem (Azurite).");
    }
}
