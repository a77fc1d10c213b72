using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Serverless.Backup;
using Serverless.Transfers.Keys;

namespace Serverless.Transfers.Identity;

/// <summary>This council's code and public keys, derived once from <see cref="TransferOptions"/>.</summary>
public sealed class OwnTransferIdentity
{
    public OwnTransferIdentity(IOptions<TransferOptions> options)
    {
        var value = options.Value;
        string? encryptionPem = null, encryptionFingerprint = null, verificationPem = null, verificationFingerprint = null;
        if (!string.IsNullOrWhiteSpace(value.DecryptionKeyPem))
        {
            using var rsa = BackupEnvelope.ImportPrivateKey(value.DecryptionKeyPem, password: null, "Transfers:DecryptionKeyPem");
            encryptionPem = PartnerKeys.PublicPem(rsa);
            encryptionFingerprint = KeyFingerprint.Of(rsa);
        }

        if (!string.IsNullOrWhiteSpace(value.SigningKeyPem))
        {
            using var ec = ManifestKeys.ImportP256(value.SigningKeyPem, "Transfers:SigningKeyPem", requirePrivate: true);
            verificationPem = PartnerKeys.PublicPem(ec);
            verificationFingerprint = KeyFingerprint.Of(ec);
        }

        Identity = new TransferIdentity(string.IsNullOrWhiteSpace(value.MunicipalityCode) ? null : value.MunicipalityCode.Trim(), encryptionPem, encryptionFingerprint, verificationPem, verificationFingerprint);
    }

    public TransferIdentity Identity { get; }

    public string? MunicipalityCode => Identity.MunicipalityCode;
}
