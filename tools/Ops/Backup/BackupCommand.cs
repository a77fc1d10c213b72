using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Storage;

namespace Serverless.Ops.Backup;

/// <summary>
/// <c>backup --recipient-key coordinator.pub.pem --to-directory DIR</c>: every entity of every declared
/// table and every blob of every declared container, encrypted to the coordinating body's public key
/// (see <see cref="BackupEnvelope"/>), into <c>DIR/&lt;backup id&gt;/</c>, outside the app's storage account.
/// </summary>
/// <remarks>
/// Incremental scheme: tables are snapshotted whole every time (a town's cases are megabytes, and a
/// whole snapshot needs no chain to restore); blobs are incremental: a blob whose ETag and length match
/// the previous manifest's entry is not copied again, and the new manifest points at the backup that
/// holds it, so a restore needs every backup folder its manifest names (keep the chain together).
/// The previous backup is the newest finished one in the same directory, for the same recipient key.
/// Queue messages are not backed up: they are work in flight, and the work they stand for is
/// re-driven from the tables (and dead letters are a table, so they are kept).
/// Recovery point: the time between backups (run it daily: RPO 24 hours). Tables are read one at a
/// time, not in one transaction: a change made during the backup may be in one table and not another,
/// which the app's write-ahead indexes already tolerate (an index row ahead of its case).
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
            Required = true,
        };
        var full = new Option<bool>("--full") { Description = "Copy every blob again instead of referring to earlier backups." };
        var command = new Command("backup", "Back up every table and blob of the app, encrypted to the coordinating body's key. Queue messages are not backed up.")
        {
            recipientKey,
            toDirectory,
            full,
        };
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var recipient = BackupEnvelope.LoadPublicKey(parseResult.GetValue(recipientKey)!);
            var root = Path.GetFullPath(parseResult.GetValue(toDirectory)!);
            await using var services = connection.BuildServices(parseResult);

            // An export of personal data, audited before any data is read (if that cannot be written,
            // there is no backup). One event rather than intent and outcome: the backup copies the audit
            // tables too, and an intent whose outcome came after the copy would stay open in a restore.
            var audit = services.GetRequiredService<IAuditTrail>();
            var actor = new AuditActor(AuditActorKind.System, "ops-backup", null, null);
            var request = new AuditRequest(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), null);
            await audit.RecordAsync(actor, request, AuditActions.BackupExport, caseId: null, AuditOutcome.Succeeded, cancellationToken);
            try
            {
                var manifest = await RunAsync(services, recipient, root, parseResult.GetValue(full), cancellationToken);
                await output.WriteLineAsync(
                    $"Backup {manifest.BackupId} written to {Path.Combine(root, manifest.BackupId)}: "
                    + $"{manifest.Tables.Sum(table => table.Entities)} entities in {manifest.Tables.Count} tables, "
                    + $"{manifest.Blobs.Count} blobs ({manifest.Blobs.Count(blob => blob.BackupId == manifest.BackupId)} copied, "
                    + $"{manifest.Blobs.Count(blob => blob.BackupId != manifest.BackupId)} unchanged since earlier backups). "
                    + $"Encrypted for key sha256:{manifest.RecipientKeySha256}.");
                await output.WriteLineAsync(
                    $"Export notice: backup {manifest.BackupId} is an export of personal data, recorded in the audit trail as {AuditActions.BackupExport} (request {request.RequestId}). Note who ran it: the trail knows only that ops did.");
                return ExitCodes.Ok;
            }
            catch (BackupFailedException ex)
            {
                await audit.RecordAsync(actor, request, AuditActions.BackupExport, caseId: null, AuditOutcome.Failed, CancellationToken.None);
                await error.WriteLineAsync(ex.Message);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task<BackupManifest> RunAsync(ServiceProvider services, RSA recipient, string root, bool full, CancellationToken cancellationToken)
    {
        var clients = services.GetRequiredService<StorageClients>();
        var names = services.GetRequiredService<StorageNames>();
        var declared = services.GetRequiredService<IOptions<StorageResources>>().Value;
        var fingerprint = BackupEnvelope.Fingerprint(recipient);

        var previousId = BackupManifest.LatestId(root);
        var previous = previousId is null ? null : await BackupManifest.ReadAsync(root, previousId, cancellationToken);
        // Unchanged blobs are only reused from a chain encrypted to the same key: a restore uses one private key.
        var reusable = previous is null || full || previous.RecipientKeySha256 != fingerprint
            ? new Dictionary<(string, string), BlobFile>()
            : previous.Blobs.ToDictionary(blob => (blob.Container, blob.NameSha256));

        var backupId = NewBackupId(previousId);
        var directory = Path.Combine(root, backupId);
        Directory.CreateDirectory(Path.Combine(directory, "tables"));
        Directory.CreateDirectory(Path.Combine(directory, "blobs"));

        var tables = new List<TableFile>();
        foreach (var table in declared.Tables)
        {
            var entities = new List<TableEntity>();
            await foreach (var entity in clients.Tables.GetTableClient(names.Table(table)).QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                entities.Add(entity);
            }

            var file = $"tables/{table}.enc";
            var bytes = BackupEnvelope.Encrypt(recipient, EntityCodec.Serialize(table, entities), $"{backupId}/{file}");
            await File.WriteAllBytesAsync(Path.Combine(directory, file), bytes, cancellationToken);
            tables.Add(new TableFile(table, entities.Count, file, BackupEnvelope.Sha256(bytes)));
        }

        var blobs = new List<BlobFile>();
        foreach (var container in declared.Containers)
        {
            var containerClient = clients.Blobs.GetBlobContainerClient(names.Container(container));
            await foreach (var item in containerClient.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken))
            {
                var nameHash = BackupEnvelope.Sha256(Encoding.UTF8.GetBytes(container + "/" + item.Name));
                if (reusable.TryGetValue((container, nameHash), out var earlier)
                    && earlier.ETag == Unquoted(item.Properties.ETag)
                    && earlier.Length == item.Properties.ContentLength)
                {
                    blobs.Add(earlier);
                    continue;
                }

                var download = (await containerClient.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken)).Value;
                var header = new StoredBlobHeader(
                    container,
                    item.Name,
                    download.Details.ContentType,
                    download.Details.ContentEncoding,
                    download.Details.ContentLanguage,
                    download.Details.ContentDisposition,
                    download.Details.CacheControl,
                    download.Details.Metadata);
                var file = $"blobs/{nameHash}.enc";
                var bytes = BackupEnvelope.Encrypt(recipient, StoredBlobHeader.Pack(header, download.Content.ToMemory().Span), $"{backupId}/{file}");
                await File.WriteAllBytesAsync(Path.Combine(directory, file), bytes, cancellationToken);
                blobs.Add(new BlobFile(
                    container,
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
        await manifest.WriteAsync(directory, cancellationToken);
        return manifest;
    }

    /// <summary>Listings and downloads spell the same ETag with and without quotes.</summary>
    private static string Unquoted(Azure.ETag? etag) => etag?.ToString().Trim('"') ?? "";

    /// <summary>UTC time to the millisecond, so ids sort by time; never equal to or before the previous one.</summary>
    private static string NewBackupId(string? previousId)
    {
        var id = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        while (previousId is not null && string.CompareOrdinal(id, previousId) <= 0)
        {
            Thread.Sleep(1);
            id = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        }

        return id;
    }
}

/// <summary>
/// A blob as its encrypted file holds it: a JSON header (container, name, content headers, metadata)
/// after its 4-byte length, then the content as it was.
/// </summary>
internal sealed record StoredBlobHeader(
    string Container,
    string Name,
    string? ContentType,
    string? ContentEncoding,
    string? ContentLanguage,
    string? ContentDisposition,
    string? CacheControl,
    IDictionary<string, string>? Metadata)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Pack(StoredBlobHeader header, ReadOnlySpan<byte> content)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        var packed = new byte[4 + json.Length + content.Length];
        BinaryPrimitives.WriteInt32BigEndian(packed, json.Length);
        json.CopyTo(packed, 4);
        content.CopyTo(packed.AsSpan(4 + json.Length));
        return packed;
    }

    public static (StoredBlobHeader Header, ReadOnlyMemory<byte> Content) Unpack(byte[] packed)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(packed);
        var header = JsonSerializer.Deserialize<StoredBlobHeader>(packed.AsSpan(4, length), Json)
            ?? throw new BackupFailedException("A blob file holds no header.");
        return (header, packed.AsMemory(4 + length));
    }
}
