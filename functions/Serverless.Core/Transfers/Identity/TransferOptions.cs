namespace Serverless.Transfers.Identity;

/// <summary>
/// This council's identity in transfers (section <c>Transfers</c>). Locally and in tests the keys are PEM text;
/// in Azure the signing key will be a Key Vault key (its <c>sign</c> operation, as backup manifests are signed) and
/// the decryption key a Key Vault key's <c>unwrapKey</c> (not yet built: see docs/transfers.md).
/// </summary>
public sealed class TransferOptions
{
    public const string Section = "Transfers";

    /// <summary>This council's 全国地方公共団体コード; empty until the council takes part in transfers.</summary>
    public string? MunicipalityCode { get; set; }

    /// <summary>P-256 private key (PEM) this council signs packages with.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>RSA private key (PEM, ≥ 3072 bits) packages for this council are encrypted to.</summary>
    public string? DecryptionKeyPem { get; set; }
}
