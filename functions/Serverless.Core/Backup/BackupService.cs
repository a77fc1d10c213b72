using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Storage;

namespace Serverless.Backup;

/// <summary>What one backup wrote: counts and ids only, never data.</summary>
public sealed record BackupSummary(string BackupId, string Location, int Tables, long Entities, int Blobs, int BlobsCopied, string RecipientKeySha256, string AuditRequestId);

/// <summary>
/// Every entity of every declared table and every blob of every declared container, encrypted to the
/// coordinating body's public key (see <see cref="BackupEnvelope"/>), into a destination outside the
/// app's storage account. The app runs it daily as itself (BackupFunction, writing to the backup
/// account with its managed identity); <c>serverless-ops backup</c> runs the same code.
/// </summary>
/// <remarks>
/// Incremental scheme: tables are snapshotted whole every time (a town's cases are megabytes, and a
/// whole snapshot needs no chain to restore), except the audit log's settled days (<see cref="SettledDays"/>);
/// blobs are incremental: a blob whose ETag and length match
/// the previous manifest's entry is not copied again, and the new manifest points at the backup that
/// holds it, so a restore needs every backup its manifest names (keep the chain together). With
/// <see cref="BackupOptions.RetentionDays"/> set, a copy is reused only while it is younger than half the
/// retention, so the destination's lifecycle policy never deletes a file a recent backup still needs.
/// The previous backup is the newest finished one in the same destination, for the same recipient key.
/// Queue messages are not backed up: they are work in flight, and the work they stand for is
/// re-driven from the tables (and dead letters are a table, so they are kept).
/// Recovery point: the time between backups (daily: RPO 24 hours). Tables are read one at a time, not
/// in one transaction: a change made during the backup may be in one table and not another, which the
/// app's write-ahead indexes already tolerate (an index row ahead of its case); the audit trail is read
/// last, in the order <see cref="BackupReadOrder"/> explains, so a restored chain verifies.
/// </remarks>
public sealed class BackupService(
    StorageClients clients,
    StorageNames names,
    IOptions<StorageResources> declared,
    IAuditTrail audit,
    IOptions<BackupOptions> options,
    IOptions<StorageOptions> storage,
    ILogger<BackupService> logger)
{
    /// <summary>The actor the app's own daily backup is audited as.</summary>
    public const string ScheduledActorId = "app-backup";

    /// <summary>
    /// The daily backup, as configured in <see cref="BackupOptions"/>; null when <c>Backup:Enabled</c> is
    /// false. Throws when it fails (after auditing the failure), so the timer run shows as failed.
    /// </summary>
    public async Task<BackupSummary?> RunScheduledAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("Backup is not enabled (Backup:Enabled); nothing was backed up");
            return null;
        }

        using var recipient = BackupEnvelope.ImportPublicKey(settings.RecipientPublicKey!, "Backup:RecipientPublicKey");
        var destination = new ContainerBackupDestination(DestinationContainer(settings, storage.Value));
        using var pemSigner = string.IsNullOrWhiteSpace(settings.SigningKeyPem) ? null : new PemManifestSigner(settings.SigningKeyPem, "Backup:SigningKeyPem");
        IManifestSigner signer = pemSigner ?? (IManifestSigner)new KeyVaultManifestSigner(settings.SigningKeyUri!, StorageClients.CreateCredential(storage.Value.ManagedIdentityClientId), Http);
        var summary = await ExportAsync(new AuditActor(AuditActorKind.System, ScheduledActorId, null, null), destination, recipient, signer, full: false, cancellationToken);
        logger.LogInformation(
            "Backup {BackupId} written: {Entities} entities in {Tables} tables, {Blobs} blobs ({Copied} copied), audit request {RequestId}",
            summary.BackupId, summary.Entities, summary.Tables, summary.Blobs, summary.BlobsCopied, summary.AuditRequestId);
        return summary;
    }

    /// <summary>
    /// The backup as an audited export of personal data: the event is written before any data is read
    /// (if it cannot be written, this throws and nothing is read or written), and a second event with
    /// <see cref="AuditOutcome.Failed"/> follows if the backup then fails. One event rather than intent
    /// and outcome: the backup copies the audit tables too, and an intent whose outcome came after the
    /// copy would stay open in a restore.
    /// </summary>
    /// <param name="signer">Signs the manifest (<see cref="ManifestSignature"/>); null writes an unsigned backup, which a
    /// restore refuses unless told otherwise.</param>
    internal async Task<BackupSummary> ExportAsync(AuditActor actor, IBackupDestination destination, RSA recipient, IManifestSigner? signer, bool full, CancellationToken cancellationToken)
    {
        var request = new AuditRequest(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), null);
        await audit.RecordAsync(actor, request, AuditActions.BackupExport, caseId: null, AuditOutcome.Succeeded, cancellationToken);
        try
        {
            var manifest = await WriteAsync(destination, recipient, signer, full, cancellationToken);
            return new BackupSummary(
                manifest.BackupId,
                destination.Describe(manifest.BackupId),
                manifest.Tables.Select(table => table.Table).Distinct(StringComparer.Ordinal).Count(),
                manifest.Tables.Sum(table => table.Entities),
                manifest.Blobs.Count,
                manifest.Blobs.Count(blob => blob.BackupId == manifest.BackupId),
                manifest.RecipientKeySha256,
                request.RequestId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Backup failed ({ExceptionType}), audit request {RequestId}", ex.GetType().Name, request.RequestId);
            try
            {
                await audit.RecordAsync(actor, request, AuditActions.BackupExport, caseId: null, AuditOutcome.Failed, CancellationToken.None);
            }
            catch (Exception auditException)
            {
                logger.LogError(auditException, "The failed backup's audit event could not be written, audit request {RequestId}", request.RequestId);
            }

            throw;
        }
    }

    /// <summary>The configured backup container, with the app's managed identity in Azure, Azurite locally.</summary>
    internal static BlobContainerClient DestinationContainer(BackupOptions settings, StorageOptions storage)
        => !string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new BlobContainerClient(settings.ConnectionString, settings.Container)
            : ContainerAt(settings.ContainerUri!, storage.ManagedIdentityClientId);

    /// <summary>A container by URL, signed in as the managed identity when its client id is set, else DefaultAzureCredential (an operator).</summary>
    internal static BlobContainerClient ContainerAt(Uri containerUri, string? managedIdentityClientId)
    {
        TokenCredential credential = StorageClients.CreateCredential(managedIdentityClientId);
        return new BlobContainerClient(containerUri, credential);
    }

    /// <summary>For the Key Vault sign calls (one per backup).</summary>
    private static readonly HttpClient Http = new();

    private async Task<BackupManifest> WriteAsync(IBackupDestination destination, RSA recipient, IManifestSigner? signer, bool full, CancellationToken cancellationToken)
    {
        var fingerprint = BackupEnvelope.Fingerprint(recipient);
        if (destination is ContainerBackupDestination container)
        {
            await container.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        var previousId = await destination.LatestIdAsync(cancellationToken);
        var previous = previousId is null ? null : await destination.ReadManifestAsync(previousId, cancellationToken);
        // Unchanged blobs are only reused from a chain encrypted to the same key: a restore uses one private key.
        var reusable = previous is null || full || previous.RecipientKeySha256 != fingerprint
            ? new Dictionary<(string, string), BlobFile>()
            : previous.Blobs.ToDictionary(blob => (blob.Container, blob.NameSha256));

        var backupId = await NewBackupIdAsync(previousId, cancellationToken);
        // A copy older than half the retention is made again, before the destination deletes it.
        var reuseSince = options.Value.RetentionDays is { } days
            ? BackupManifest.StartedAt(backupId)!.Value - TimeSpan.FromDays(days / 2.0)
            : DateTimeOffset.MinValue;

        var tables = new List<TableFile>();
        var blobs = new List<BlobFile>();
        HashSet<string>? sealsInSnapshot = null;
        foreach (var source in BackupReadOrder.Of(declared.Value))
        {
            if (source is TableSource table)
            {
                var seals = table.Name == AuditTables.SealTable ? new HashSet<string>(StringComparer.Ordinal) : null;
                var earlier = SettledDays.AppliesTo(table.Name) && previous is not null && !full && previous.RecipientKeySha256 == fingerprint ? previous : null;
                tables.AddRange(await WriteTableAsync(destination, recipient, backupId, table.Name, seals, earlier, reuseSince, cancellationToken));
                sealsInSnapshot ??= seals;
                continue;
            }

            var containerName = source.Name;
            var containerClient = clients.Blobs.GetBlobContainerClient(names.Container(containerName));
            await foreach (var item in containerClient.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken))
            {
                if (containerName == AuditTables.SealContainer && sealsInSnapshot is not null
                    && AuditTables.SealNumberOf(item.Name) is { } sealNumber && !sealsInSnapshot.Contains(AuditSealEntity.Key(sealNumber)))
                {
                    // Sealed after AuditSeals was read: without its row it would break the restored chain.
                    logger.LogInformation("Audit seal {SealNumber} was written during the backup; left for the next backup", sealNumber);
                    continue;
                }

                var nameHash = BackupEnvelope.Sha256(Encoding.UTF8.GetBytes(containerName + "/" + item.Name));
                if (reusable.TryGetValue((containerName, nameHash), out var earlier)
                    && BackupManifest.StartedAt(earlier.BackupId) is { } copiedAt && copiedAt >= reuseSince
                    && earlier.ETag == Unquoted(item.Properties.ETag)
                    && earlier.Length == item.Properties.ContentLength)
                {
                    blobs.Add(earlier);
                    continue;
                }

                var download = (await containerClient.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken)).Value;
                var header = new StoredBlobHeader(
                    containerName,
                    item.Name,
                    download.Details.ContentType,
                    download.Details.ContentEncoding,
                    download.Details.ContentLanguage,
                    download.Details.ContentDisposition,
                    download.Details.CacheControl,
                    download.Details.Metadata);
                var file = $"blobs/{nameHash}.enc";
                var bytes = BackupEnvelope.Encrypt(recipient, StoredBlobHeader.Pack(header, download.Content.ToMemory().Span), $"{backupId}/{file}");
                await destination.WriteFileAsync(backupId, file, bytes, cancellationToken);
                blobs.Add(new BlobFile(
                    containerName,
                    nameHash,
                    Unquoted(download.Details.ETag),
                    download.Details.LastModified,
                    download.Content.ToMemory().Length,
                    backupId,
                    file,
                    BackupEnvelope.Sha256(bytes)));
            }
        }

        var manifest = new BackupManifest(BackupManifest.CurrentFormat, backupId, DateTimeOffset.UtcNow, previousId, fingerprint, tables, blobs);
        // The exact bytes written are the bytes signed.
        var signature = signer is null ? null : await signer.SignAsync(manifest.ToJson(), cancellationToken);
        await destination.WriteManifestAsync(manifest, signature, cancellationToken);
        return manifest;
    }

    /// <summary>
    /// One table, streamed into files (<see cref="TableFileWriter"/>). For a table of settled days
    /// (<see cref="SettledDays"/>) with an <paramref name="earlier"/> backup, the days that backup already holds are
    /// pointed at, and only the rest is read.
    /// </summary>
    /// <param name="sealRows">When given, collects the row keys of the seal rows read (see <see cref="BackupReadOrder"/>).</param>
    private async Task<List<TableFile>> WriteTableAsync(
        IBackupDestination destination,
        RSA recipient,
        string backupId,
        string table,
        HashSet<string>? sealRows,
        BackupManifest? earlier,
        DateTimeOffset reuseSince,
        CancellationToken cancellationToken)
    {
        var byDay = SettledDays.AppliesTo(table);
        var reusable = earlier is null ? new Dictionary<string, IReadOnlyList<TableFile>>() : SettledDays.Reusable(earlier, table, BackupManifest.StartedAt(backupId)!.Value, reuseSince);
        var (reused, filter) = SettledDays.Remainder(reusable.Keys);
        var files = reused.SelectMany(day => reusable[day]).ToList();

        var writer = new TableFileWriter(destination, recipient, backupId, table);
        await foreach (var entity in clients.Tables.GetTableClient(names.Table(table)).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (sealRows is not null && entity.PartitionKey == AuditSealEntity.Partition)
            {
                sealRows.Add(entity.RowKey);
            }

            await writer.AddAsync(entity, byDay && SettledDays.IsDay(entity.PartitionKey) ? entity.PartitionKey : null, cancellationToken);
        }

        files.AddRange(await writer.FinishAsync(othersExist: files.Count > 0, cancellationToken));
        if (reused.Count > 0)
        {
            logger.LogInformation("Backup {BackupId}: {Table} points at earlier copies of {Days} settled days", backupId, table, reused.Count);
        }

        return files;
    }

    /// <summary>Listings and downloads spell the same ETag with and without quotes.</summary>
    private static string Unquoted(Azure.ETag? etag) => etag?.ToString().Trim('"') ?? "";

    /// <summary>UTC time to the millisecond, so ids sort by time; never equal to or before the previous one.</summary>
    private static async Task<string> NewBackupIdAsync(string? previousId, CancellationToken cancellationToken)
    {
        var id = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        while (previousId is not null && string.CompareOrdinal(id, previousId) <= 0)
        {
            await Task.Delay(1, cancellationToken);
            id = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        }

        return id;
    }
}
