using System.ComponentModel.DataAnnotations;
using Serverless.Storage;

namespace Serverless.Backup;

/// <summary>
/// The app's own daily backup (section <c>Backup</c>). In Azure: <see cref="ContainerUri"/>, a container in a
/// storage account of its own, written with the app's managed identity (the same client id as its other
/// storage clients). Locally and in tests: <see cref="ConnectionString"/> (Azurite only) and <see cref="Container"/>.
/// </summary>
public sealed class BackupOptions : IValidatableObject
{
    public bool Enabled { get; set; }

    /// <summary>PEM text of the coordinating body's PUBLIC key (from <c>serverless-ops backup-key create</c>).
    /// Not secret; a private key here is refused at start-up.</summary>
    public string? RecipientPublicKey { get; set; }

    /// <summary>The backup container, e.g. <c>https://stbackupmidori.blob.core.windows.net/backups</c>.</summary>
    public Uri? ContainerUri { get; set; }

    /// <summary>The Key Vault key (versionless URL) each backup's manifest is signed with, in Azure
    /// (<c>https://kv-midori-x.vault.azure.net/keys/backup-manifest-signing</c>); see <see cref="ManifestSignature"/>.</summary>
    public Uri? SigningKeyUri { get; set; }

    /// <summary>Azurite only: an EC P-256 private key in PEM that signs the manifests instead (a dev key).</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>Azurite only, like <see cref="StorageOptions.ConnectionString"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The container's name when <see cref="ConnectionString"/> is used.</summary>
    [RegularExpression("^([a-z0-9](-?[a-z0-9]){2,62})?$", ErrorMessage = "Backup:Container must be a blob container name (3 to 63 lowercase letters, digits and single hyphens).")]
    public string? Container { get; set; }

    /// <summary>
    /// Days the backup destination keeps each file (its lifecycle policy; infra sets both from one parameter).
    /// An unchanged attachment is re-copied once its copy is half this old, so every backup younger than half
    /// of it has all its files. Unset: copies are reused however old (a folder kept by hand).
    /// </summary>
    [Range(7, 3650)]
    public int? RetentionDays { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString) && !StorageOptions.IsEmulator(ConnectionString))
        {
            yield return new ValidationResult(
                "Backup:ConnectionString may only point at the local emulator (Azurite). In Azure set Backup:ContainerUri: the app writes backups with its managed identity, never with an account key.",
                [nameof(ConnectionString)]);
        }

        if (!string.IsNullOrWhiteSpace(RecipientPublicKey))
        {
            string? problem = null;
            try
            {
                using var key = BackupEnvelope.ImportPublicKey(RecipientPublicKey, "Backup:RecipientPublicKey");
            }
            catch (BackupKeyException ex)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                yield return new ValidationResult(problem, [nameof(RecipientPublicKey)]);
            }
        }

        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(RecipientPublicKey))
        {
            yield return new ValidationResult(
                "Backup:Enabled is true but Backup:RecipientPublicKey is not set: give the PEM text of the coordinating body's public key.",
                [nameof(RecipientPublicKey)]);
        }

        var local = !string.IsNullOrWhiteSpace(ConnectionString);
        var azure = ContainerUri is not null;
        if (azure == local || (local && string.IsNullOrWhiteSpace(Container)))
        {
            yield return new ValidationResult(
                "Backup:Enabled is true but the destination is not set: Backup:ContainerUri in Azure, or Backup:ConnectionString (Azurite) with Backup:Container locally, not both.",
                [nameof(ContainerUri), nameof(ConnectionString), nameof(Container)]);
        }

        var pemSigner = !string.IsNullOrWhiteSpace(SigningKeyPem);
        if ((SigningKeyUri is null) == !pemSigner)
        {
            yield return new ValidationResult(
                "Backup:Enabled is true but no signing key is set: Backup:SigningKeyUri (a Key Vault EC P-256 key) in Azure, or Backup:SigningKeyPem (a P-256 private key) with Azurite, not both. A restore refuses an unsigned backup.",
                [nameof(SigningKeyUri), nameof(SigningKeyPem)]);
        }
        else if (pemSigner && !local)
        {
            yield return new ValidationResult(
                "Backup:SigningKeyPem is for Azurite only. In Azure set Backup:SigningKeyUri: the private key stays in Key Vault.",
                [nameof(SigningKeyPem)]);
        }

        if (SigningKeyUri is { } keyUri && keyUri.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult("Backup:SigningKeyUri must be an https:// Key Vault key URL.", [nameof(SigningKeyUri)]);
        }

        if (ContainerUri is { } uri && !local && uri.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult("Backup:ContainerUri must be an https:// URL.", [nameof(ContainerUri)]);
        }
    }
}
