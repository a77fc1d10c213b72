using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Serverless.Backup;
using Serverless.Storage;
using Serverless.Transfers.Keys;

namespace Serverless.Transfers.Identity;

/// <summary>
/// This council's code and public keys (<see cref="TransferOptions"/>): the public halves of the PEM keys, derived once,
/// or, when the keys are in Key Vault, read from the vault on first use (<see cref="ReadAsync"/>) and kept.
/// </summary>
public sealed class OwnTransferIdentity
{
    private static readonly HttpClient Http = new();

    private readonly TransferOptions settings;
    private readonly TransferDecryptionKey decryption;
    private readonly IOptions<StorageOptions> storage;
    private TransferIdentity? fromVault;

    public OwnTransferIdentity(IOptions<TransferOptions> options, TransferDecryptionKey decryption, IOptions<StorageOptions> storage)
    {
        settings = options.Value;
        this.decryption = decryption;
        this.storage = storage;
        string? encryptionPem = null, encryptionFingerprint = null, verificationPem = null, verificationFingerprint = null;
        if (!string.IsNullOrWhiteSpace(settings.DecryptionKeyPem))
        {
            using var rsa = BackupEnvelope.ImportPrivateKey(settings.DecryptionKeyPem, password: null, "Transfers:DecryptionKeyPem");
            encryptionPem = PartnerKeys.PublicPem(rsa);
            encryptionFingerprint = KeyFingerprint.Of(rsa);
        }

        if (!string.IsNullOrWhiteSpace(settings.SigningKeyPem))
        {
            using var ec = ManifestKeys.ImportP256(settings.SigningKeyPem, "Transfers:SigningKeyPem", requirePrivate: true);
            verificationPem = PartnerKeys.PublicPem(ec);
            verificationFingerprint = KeyFingerprint.Of(ec);
        }

        Identity = new TransferIdentity(string.IsNullOrWhiteSpace(settings.MunicipalityCode) ? null : settings.MunicipalityCode.Trim(), encryptionPem, encryptionFingerprint, verificationPem, verificationFingerprint);
    }

    /// <summary>The identity from the PEM keys only (a key kept in Key Vault shows as null here; see <see cref="ReadAsync"/>).</summary>
    public TransferIdentity Identity { get; }

    public string? MunicipalityCode => Identity.MunicipalityCode;

    /// <summary>The identity with a Key Vault key's public half where the key is in the vault (read once, then kept).</summary>
    public async Task<TransferIdentity> ReadAsync(CancellationToken cancellationToken)
    {
        var signingInVault = string.IsNullOrWhiteSpace(settings.SigningKeyPem) && settings.SigningKeyUri is not null;
        var decryptionInVault = string.IsNullOrWhiteSpace(settings.DecryptionKeyPem) && settings.DecryptionKeyUri is not null;
        if (!signingInVault && !decryptionInVault)
        {
            return Identity;
        }

        if (fromVault is { } known)
        {
            return known;
        }

        var identity = Identity;
        if (decryptionInVault)
        {
            using var rsa = await decryption.PublicKeyAsync(cancellationToken);
            identity = identity with { EncryptionKeyPem = PartnerKeys.PublicPem(rsa!), EncryptionKeyFingerprint = KeyFingerprint.Of(rsa!) };
        }

        if (signingInVault)
        {
            using var ec = await VaultPublicKeys.P256Async(settings.SigningKeyUri!, StorageClients.CreateCredential(storage.Value.ManagedIdentityClientId), Http, cancellationToken);
            identity = identity with { VerificationKeyPem = PartnerKeys.PublicPem(ec), VerificationKeyFingerprint = KeyFingerprint.Of(ec) };
        }

        return fromVault = identity;
    }
}
