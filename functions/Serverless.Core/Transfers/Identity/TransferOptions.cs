namespace Serverless.Transfers.Identity;

/// <summary>
/// This council's identity in transfers (section <c>Transfers</c>). Locally and in tests the keys are PEM text; in
/// Azure they are Key Vault keys the app never holds: the signing key's <c>sign</c> (as backup manifests are signed) and
/// the decryption key's <c>unwrapKey</c>. For each key one of the two is set, not both (docs/transfers.md).
/// </summary>
public sealed class TransferOptions
{
    public const string Section = "Transfers";

    /// <summary>This council's 全国地方公共団体コード; empty until the council takes part in transfers.</summary>
    public string? MunicipalityCode { get; set; }

    /// <summary>P-256 private key (PEM) this council signs packages with (Azurite and tests).</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>The Key Vault EC P-256 key (versionless URL) this council signs packages with, in Azure.</summary>
    public Uri? SigningKeyUri { get; set; }

    /// <summary>RSA private key (PEM, ≥ 3072 bits) packages for this council are encrypted to (Azurite and tests).</summary>
    public string? DecryptionKeyPem { get; set; }

    /// <summary>The Key Vault RSA key (versionless URL) packages for this council are encrypted to, in Azure: only its
    /// <c>unwrapKey</c> is used, so the private key never leaves the vault.</summary>
    public Uri? DecryptionKeyUri { get; set; }

    /// <summary>The largest export file a coordinator may make (bytes): 100 MiB unless set lower
    /// (<see cref="Files.TransferFileExportLimits.DefaultMaxBytes"/>); never above <see cref="Files.TransferFile.MaxFileBytes"/>.</summary>
    public long ExportMaxBytes { get; set; } = Files.TransferFileExportLimits.DefaultMaxBytes;
}
