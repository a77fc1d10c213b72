using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Audit;
using Serverless.Backup;

namespace Serverless.Ops.Backup;

/// <summary>
/// <c>backup --recipient-key coordinator.pub.pem (--to-directory DIR | --to-container-url URL)</c>: the app's own
/// <see cref="BackupService"/> (the code its daily Backup function runs), with the operator's sign-in. Every
/// entity of every declared table and every blob of every declared container, encrypted to the coordinating
/// body's public key, into <c>DIR/&lt;backup id&gt;/</c> or the container's <c>&lt;backup id&gt;/</c>, outside
/// the app's storage account. See BackupService for the incremental scheme.
/// </summary>
/// <remarks>
/// The app backs itself up daily without anyone's data role; this command is for an extra backup on
/// demand, and it needs a person to hold a data reader role on the app's account (see Backup/README.md and docs/security.md).
/// </remarks>
internal static class BackupCommand
{
    public static Command Create(StorageConnection connection, TextWriter output, TextWriter error)
    {
        var recipientKey = new Option<string>("--recipient-key")
        {
            Description = "The coordinating body's RSA public key (PEM, at least 3072 bits), from 'backup-key create'. IT cannot decrypt what it encrypts.",
            Required = true,
        };
        var toDirectory = new Option<string>("--to-directory")
        {
            Description = "Folder outside the app's storage account (a NAS, an encrypted drive) that holds the backups; each goes into its own subfolder.",
        };
        var toContainerUrl = new Option<string>("--to-container-url")
        {
            Description = "Blob container outside the app's storage account (https://ACCOUNT.blob.core.windows.net/backups, or Azurite's) that holds the backups, written with your Azure sign-in; each goes under its own prefix.",
        };
        var signingKey = new Option<string>("--signing-key")
        {
            Description = "Signs the manifest (manifest.sig): the app's Key Vault key URL (https://VAULT.vault.azure.net/keys/backup-manifest-signing; needs Key Vault Crypto User on it) or a P-256 private key in PEM (Azurite). Without it the backup is unsigned, and a restore refuses it unless given --accept-unsigned-backup.",
        };
        var full = new Option<bool>("--full") { Description = "Copy every blob again instead of referring to earlier backups." };
        var command = new Command("backup", "Back up every table and blob of the app, encrypted to the coordinating body's key. Queue messages are not backed up.")
        {
            recipientKey,
            toDirectory,
            toContainerUrl,
            signingKey,
            full,
        };
        command.Validators.Add(connection.Validate);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(toDirectory) is null) == (result.GetValue(toContainerUrl) is null))
            {
                result.AddError("Give exactly one destination: --to-directory or --to-container-url.");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var recipient = BackupKeyFiles.LoadPublicKey(parseResult.GetValue(recipientKey)!);
            var destination = Destination(connection, parseResult, parseResult.GetValue(toDirectory), parseResult.GetValue(toContainerUrl));
            await using var services = connection.BuildServices(parseResult);

            var actor = new AuditActor(AuditActorKind.System, "ops-backup", null, null);
            var signingKeyValue = parseResult.GetValue(signingKey);
            using var pemSigner = signingKeyValue is null || signingKeyValue.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? null
                : BackupKeyFiles.LoadSigningKey(signingKeyValue);
            IManifestSigner? signer = (IManifestSigner?)pemSigner
                ?? (signingKeyValue is null ? null : new KeyVaultManifestSigner(new Uri(signingKeyValue), Serverless.Storage.StorageClients.CreateCredential(null), Http));
            try
            {
                var summary = await services.GetRequiredService<BackupService>().ExportAsync(actor, destination, recipient, signer, parseResult.GetValue(full), cancellationToken);
                await output.WriteLineAsync(
                    $"Backup {summary.BackupId} written to {summary.Location}: "
                    + $"{summary.Entities} entities in {summary.Tables} tables, "
                    + $"{summary.Blobs} blobs ({summary.BlobsCopied} copied, "
                    + $"{summary.Blobs - summary.BlobsCopied} unchanged since earlier backups). "
                    + $"Encrypted for key sha256:{summary.RecipientKeySha256}.");
                await output.WriteLineAsync(
                    signer is null
                        ? $"WARNING: backup {summary.BackupId} is UNSIGNED (no --signing-key): a restore refuses it unless given --accept-unsigned-backup."
                        : $"Manifest signed ({ManifestSignature.FileName}).");
                await output.WriteLineAsync(
                    $"Export notice: backup {summary.BackupId} is an export of personal data, recorded in the audit trail as {AuditActions.BackupExport} (request {summary.AuditRequestId}). Note who ran it: the trail knows only that ops did.");
                return ExitCodes.Ok;
            }
            catch (BackupFailedException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static readonly HttpClient Http = new();

    /// <summary>
    /// A folder, or a container by URL: Azurite's (loopback, with the emulator's well-known development
    /// account, as the tests use) or Azure's, with the operator's own sign-in.
    /// </summary>
    internal static IBackupDestination Destination(StorageConnection connection, ParseResult parseResult, string? directory, string? containerUrl)
        => containerUrl is null
            ? new DirectoryBackupDestination(directory!)
            : new ContainerBackupDestination(connection.BackupContainer(parseResult, containerUrl));
}
