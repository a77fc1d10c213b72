using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.Storage;

namespace Serverless.Ops.Backup;

/// <summary>
/// <c>restore --from-directory DIR [--backup-id ID] --private-key coordinator.pem [--password-env VAR]</c>:
/// puts a backup into an EMPTY instance (a new deployment, or in tests a fresh name prefix). It
/// checks everything before it writes anything: the key matches the manifest, every file matches its
/// SHA-256 and decrypts (AES-GCM tag), and no declared table or container of the target holds data.
/// Only then does it write, so a wrong key or a damaged file leaves the target untouched.
/// </summary>
/// <remarks>
/// Restore time (RTO), measured against Azurite on a 2-core developer VM (bench --audit-rows): about 9,900
/// rows a second (220,000 rows in 22 s), plus the time to deploy the new instance; the
/// recovery point (RPO) is the time between backups (see Backup/README.md). Every file is read twice (checked
/// first, written after), so memory holds one file at a time.
/// </remarks>
internal static class RestoreCommand
{
    /// <summary>Entity group transactions take at most 100 entities and 4 MiB; stay well under the size.</summary>
    private const int MaxBatchEntities = 100;
    private const long MaxBatchBytes = 2 * 1024 * 1024;

    public static Command Create(StorageConnection connection, TextWriter output, TextWriter error)
    {
        var fromDirectory = new Option<string>("--from-directory")
        {
            Description = "The folder 'backup --to-directory' wrote to (every backup of the chain must be in it).",
        };
        var fromContainerUrl = new Option<string>("--from-container-url")
        {
            Description = "The backup container the app's daily backup (or 'backup --to-container-url') wrote to, read with your Azure sign-in; it is downloaded (ciphertext only) to a temporary folder first.",
        };
        var backupId = new Option<string>("--backup-id") { Description = "Which backup to restore; the newest finished one when left out." };
        var privateKey = new Option<string>("--private-key")
        {
            Description = "The coordinating body's private key (PEM), brought by the coordinator for the restore.",
            Required = true,
        };
        var passwordEnv = BackupKeyCommand.PasswordEnvOption("Environment variable holding the private key's password, if it has one.");
        var signingKey = new Option<string>("--manifest-signing-key")
        {
            Description = "The key the app signs backup manifests with: its Key Vault key URL (https://VAULT.vault.azure.net/keys/backup-manifest-signing, read with your Azure sign-in) or a PEM file of its public key. A backup not signed by it is refused.",
        };
        var acceptUnsigned = new Option<bool>("--accept-unsigned-backup")
        {
            Description = "Restore even though the manifest is unsigned or its signature does not check out (anyone who can write to backup storage could have made it). Recorded in the restored audit trail as ops.backup.restore-unverified.",
        };
        var liveSeals = new Option<string>("--live-seals-container-url")
        {
            Description = "The live WORM audit-seal container (https://ACCOUNT.blob.core.windows.net/audit-seals): the backup's seals must match it, or the restore is refused.",
        };
        var acceptSealMismatch = new Option<bool>("--accept-seal-mismatch")
        {
            Description = "Restore even though the backup's audit seals differ from the live seal container. Recorded as ops.backup.restore-seal-mismatch.",
        };
        var command = new Command("restore", "Restore a backup into an empty instance: refuses if any table or container already holds data, and writes nothing unless every file checks out.")
        {
            fromDirectory,
            fromContainerUrl,
            backupId,
            privateKey,
            passwordEnv,
            signingKey,
            acceptUnsigned,
            liveSeals,
            acceptSealMismatch,
        };
        command.Validators.Add(connection.Validate);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(fromDirectory) is null) == (result.GetValue(fromContainerUrl) is null))
            {
                result.AddError("Give exactly one source: --from-directory or --from-container-url.");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var key = BackupKeyFiles.LoadPrivateKey(parseResult.GetValue(privateKey)!, BackupKeyCommand.ReadPassword(parseResult.GetValue(passwordEnv)));
            var container = parseResult.GetValue(fromContainerUrl) is { } url ? connection.BackupContainer(parseResult, url) : null;
            var sealContainer = parseResult.GetValue(liveSeals) is { } sealsUrl ? connection.BackupContainer(parseResult, sealsUrl) : null;
            await using var services = connection.BuildServices(parseResult);
            var downloaded = container is null ? null : Directory.CreateTempSubdirectory("serverless-restore-");
            var root = downloaded?.FullName ?? Path.GetFullPath(parseResult.GetValue(fromDirectory)!);
            var keepDownloaded = false;
            try
            {
                if (container is not null)
                {
                    // The restore checks every file before it writes: it reads a folder, so the container's
                    // backups (ciphertext) come down first. Only the chain's files are copied.
                    await new ContainerBackupDestination(container).DownloadToAsync(root, cancellationToken);
                }

                var id = parseResult.GetValue(backupId) ?? BackupManifest.LatestId(root)
                    ?? throw new BackupFailedException($"No finished backup in {root}.");
                var (trust, keyId) = await ManifestVerification.CheckAsync(
                    root, id, parseResult.GetValue(signingKey), () => StorageClients.CreateCredential(null), Http, cancellationToken);
                var unverified = trust != ManifestTrust.Verified;
                if (unverified)
                {
                    var why = Untrusted(trust, id, keyId);
                    if (!parseResult.GetValue(acceptUnsigned))
                    {
                        await error.WriteLineAsync($"{why} Refusing to restore: anyone who can write to backup storage could have made this backup. Nothing was written. Restore a signed backup (--backup-id), or, knowing the risk, add --accept-unsigned-backup (recorded in the audit trail).");
                        return ExitCodes.UntrustedBackup;
                    }

                    await error.WriteLineAsync($"WARNING: UNVERIFIED BACKUP. {why} Restoring anyway because of --accept-unsigned-backup; the restored audit trail records it as {AuditActions.BackupRestoreUnverified}.");
                }

                IReadOnlyList<string> sealFindings = [];
                var watch = Stopwatch.StartNew();
                // Read before anything is written: a register file that cannot be read stops the restore untouched.
                // The newest backup's register deletes cases from the restored one: a forged newest backup could list any
                // case, so it counts only when its signature verifies too (or the operator accepted unsigned backups).
                var newestId = BackupManifest.LatestId(root);
                var newestTrusted = newestId is null || newestId == id || parseResult.GetValue(acceptUnsigned)
                    || (await ManifestVerification.CheckAsync(root, newestId, parseResult.GetValue(signingKey), () => StorageClients.CreateCredential(null), Http, cancellationToken)).Trust == ManifestTrust.Verified;
                if (!newestTrusted)
                {
                    await error.WriteLineAsync($"WARNING: the newest backup {newestId} is not signed by the trusted key; its disposal register is not re-applied. Check the disposal register copies before using this instance.");
                }

                var kept = (await ReadRegisterAsync(root, cancellationToken)).Concat(newestTrusted ? await NewestRegisterAsync(key, root, id, cancellationToken) : []).ToList();
                var (entities, blobs) = await RunAsync(services, key, root, id, async (manifest, token) =>
                {
                    if (sealContainer is null)
                    {
                        return;
                    }

                    sealFindings = await CompareSealsAsync(key, root, manifest, sealContainer, token);
                    if (sealFindings.Count > 0 && !parseResult.GetValue(acceptSealMismatch))
                    {
                        throw new UntrustedBackupException(
                            $"Backup {id}'s audit seals do not match the live seal container {sealContainer.Uri.GetLeftPart(UriPartial.Path)}: {string.Join("; ", sealFindings)}. Refusing to restore: the backup's audit trail is not the one that was sealed. Nothing was written. Add --accept-seal-mismatch only when you know why (recorded in the audit trail).");
                    }

                    if (sealFindings.Count > 0)
                    {
                        await error.WriteLineAsync($"WARNING: AUDIT SEALS DIFFER from the live seal container: {string.Join("; ", sealFindings)}. Restoring anyway because of --accept-seal-mismatch; recorded as {AuditActions.BackupRestoreSealMismatch}.");
                    }
                }, cancellationToken);
                var audit = services.GetRequiredService<IAuditTrail>();
                var request = new AuditRequest(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), null);
                int disposed;
                try
                {
                    disposed = await ReapplyDisposalsAsync(services, kept, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await TryRecordAsync(audit, request, AuditOutcome.Failed);
                    keepDownloaded = true; // the folder the message names (ciphertext and register copies: ids only)
                    throw new BackupFailedException(
                        $"Backup {id} was written, but re-applying the disposal register failed ({ex.GetType().Name}): disposed cases may be back. Do not use this instance until 'serverless-ops disposal reapply --backup-directory {root}' has succeeded against it.");
                }

                // The restored audit trail: requests running while the backup was taken get their outcome
                // (NotInBackup), and the restore itself is recorded, so the chain verifies and says what happened.
                var closed = await services.GetRequiredService<AuditRestoreCompletion>().CloseInFlightAsync(BackupManifest.StartedAt(id)!.Value, cancellationToken);
                await audit.RecordAsync(Actor, request, AuditActions.BackupRestore, caseId: null, AuditOutcome.Succeeded, cancellationToken);
                if (unverified)
                {
                    await audit.RecordAsync(Actor, request, AuditActions.BackupRestoreUnverified, caseId: null, AuditOutcome.Succeeded, cancellationToken);
                }

                if (sealFindings.Count > 0)
                {
                    await audit.RecordAsync(Actor, request, AuditActions.BackupRestoreSealMismatch, caseId: null, AuditOutcome.Succeeded, cancellationToken);
                }

                await output.WriteLineAsync(
                    $"Restored backup {id}: {entities} entities and {blobs} blobs in {watch.Elapsed.TotalSeconds:0.0}s.");
                if (disposed > 0)
                {
                    await output.WriteLineAsync($"Disposal register re-applied: {disposed} disposed case(s) deleted again.");
                }

                if (closed > 0)
                {
                    await output.WriteLineAsync($"Audit: {closed} request(s) still running when the backup was taken recorded with outcome {AuditOutcome.NotInBackup}.");
                }

                await output.WriteLineAsync($"Audit: the restore is recorded as {AuditActions.BackupRestore}, request {request.RequestId}.");
                if (unverified)
                {
                    await output.WriteLineAsync($"WARNING: this restore used an UNVERIFIED backup (--accept-unsigned-backup), recorded as {AuditActions.BackupRestoreUnverified}, request {request.RequestId}.");
                }
                else
                {
                    await output.WriteLineAsync($"Manifest signature verified (key {keyId}).");
                }

                if (sealFindings.Count > 0)
                {
                    await output.WriteLineAsync($"WARNING: the restored audit seals differ from the live seal container (--accept-seal-mismatch), recorded as {AuditActions.BackupRestoreSealMismatch}, request {request.RequestId}.");
                }
                else if (sealContainer is not null)
                {
                    await output.WriteLineAsync("Audit seals match the live seal container.");
                }
                return ExitCodes.Ok;
            }
            catch (UntrustedBackupException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return ExitCodes.UntrustedBackup;
            }
            catch (BackupFailedException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return ExitCodes.Failure;
            }
            finally
            {
                if (!keepDownloaded)
                {
                    downloaded?.Delete(recursive: true);
                }
            }
        });
        return command;
    }

    /// <summary>For reading the signing key's public half from Key Vault.</summary>
    private static readonly HttpClient Http = new();

    private static string Untrusted(ManifestTrust trust, string id, string? keyId) => trust switch
    {
        ManifestTrust.Unsigned => $"Backup {id} has no manifest signature ({ManifestSignature.FileName} is missing or unreadable).",
        ManifestTrust.UnknownKey => $"Backup {id} is signed by {keyId}, which is not the --manifest-signing-key given.",
        ManifestTrust.BadSignature => $"Backup {id}'s manifest signature does not match its manifest: the manifest was changed after it was signed.",
        _ => $"Backup {id} is signed by {keyId}, but no --manifest-signing-key was given to check it with.",
    };

    /// <summary>
    /// The backup's audit seals against the live WORM container: a seal in both must be byte-for-byte the same, a seal
    /// only in the backup was never sealed live, and a live seal up to the backup's newest is missing from it.
    /// Live seals newer than the backup are expected.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CompareSealsAsync(RSA key, string root, BackupManifest manifest, Azure.Storage.Blobs.BlobContainerClient live, CancellationToken cancellationToken)
    {
        var restored = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var blob in manifest.Blobs.Where(blob => blob.Container == AuditTables.SealContainer))
        {
            var (header, content) = await OpenBlobAsync(key, root, blob, cancellationToken);
            restored[header.Name] = content.ToArray();
        }

        var newest = restored.Keys.Select(AuditTables.SealNumberOf).Max() ?? -1;
        var findings = new List<string>();
        var liveNames = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in live.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (AuditTables.SealNumberOf(item.Name) is not { } number)
            {
                continue;
            }

            liveNames.Add(item.Name);
            if (restored.TryGetValue(item.Name, out var content))
            {
                var liveContent = (await live.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
                if (!liveContent.AsSpan().SequenceEqual(content))
                {
                    findings.Add($"seal {number} differs");
                }
            }
            else if (number <= newest)
            {
                findings.Add($"seal {number} is missing from the backup");
            }
        }

        findings.AddRange(restored.Keys.Where(name => !liveNames.Contains(name)).Select(name => $"seal {AuditTables.SealNumberOf(name)} is not in the live container"));
        return findings;
    }

    /// <summary>A backup the restore cannot trust (exit code 4); nothing was written.</summary>
    private sealed class UntrustedBackupException(string message) : Exception(message);

    /// <summary>The actor a restore is audited as, in the restored instance.</summary>
    private static readonly AuditActor Actor = new(AuditActorKind.System, "ops-restore", null, null);

    /// <summary>A failure that cannot be recorded is still reported to the operator by the exception that follows.</summary>
    private static async Task TryRecordAsync(IAuditTrail audit, AuditRequest request, AuditOutcome outcome)
    {
        try
        {
            await audit.RecordAsync(Actor, request, AuditActions.BackupRestore, caseId: null, outcome, CancellationToken.None);
        }
        catch (AuditUnavailableException)
        {
        }
    }

    private static async Task<(long Entities, int Blobs)> RunAsync(ServiceProvider services, RSA key, string root, string backupId, Func<BackupManifest, CancellationToken, Task> beforeWriting, CancellationToken cancellationToken)
    {
        var clients = services.GetRequiredService<StorageClients>();
        var names = services.GetRequiredService<StorageNames>();
        var declared = services.GetRequiredService<IOptions<StorageResources>>().Value;

        var manifest = await BackupManifest.ReadAsync(root, backupId, cancellationToken);
        var fingerprint = BackupEnvelope.Fingerprint(key);
        if (manifest.RecipientKeySha256 != fingerprint)
        {
            throw new BackupFailedException(
                $"Wrong private key: backup {backupId} is encrypted for key sha256:{manifest.RecipientKeySha256}, and the key given is sha256:{fingerprint}. Nothing was written.");
        }

        // 1. The target must be empty: a restore never merges into live data.
        var tableNames = declared.Tables.Union(manifest.Tables.Select(table => table.Table)).Order(StringComparer.Ordinal).ToList();
        var containerNames = declared.Containers.Union(manifest.Blobs.Select(blob => blob.Container)).Order(StringComparer.Ordinal).ToList();
        foreach (var table in tableNames)
        {
            if (await HasEntitiesAsync(clients.Tables.GetTableClient(names.Table(table)), cancellationToken))
            {
                throw new BackupFailedException(
                    $"Refusing to restore: table {names.Table(table)} already has entities. Restore only into an empty instance (a new deployment); nothing was written.");
            }
        }

        foreach (var container in containerNames)
        {
            var containerClient = clients.Blobs.GetBlobContainerClient(names.Container(container));
            if (await containerClient.ExistsAsync(cancellationToken) && await HasBlobsAsync(containerClient, cancellationToken))
            {
                throw new BackupFailedException(
                    $"Refusing to restore: container {names.Container(container)} already has blobs. Restore only into an empty instance (a new deployment); nothing was written.");
            }
        }

        // 2. Every file checked and decrypted before anything is written. Nothing is kept: the files are
        // opened (and checked) again while writing, so memory holds one file at a time, not the backup.
        long entities = 0;
        foreach (var file in manifest.Tables)
        {
            entities += (await OpenTableAsync(key, root, backupId, file, cancellationToken)).Entities.Count;
        }

        foreach (var blob in manifest.Blobs)
        {
            await OpenBlobAsync(key, root, blob, cancellationToken);
        }

        await beforeWriting(manifest, cancellationToken);

        // 3. Write: tables in entity group transactions (one partition each), then blobs.
        try
        {
            await WriteAsync(clients, names, key, root, backupId, manifest, tableNames, containerNames, cancellationToken);
        }
        catch (BackupFailedException ex)
        {
            // Only a file changed between the check and the write gets here, and by now something was written.
            var reason = ex.Message.Replace(" Nothing was written.", "", StringComparison.Ordinal).Replace("; nothing was written.", ".", StringComparison.Ordinal);
            throw new BackupFailedException($"A backup file changed while the restore was writing: {reason} The target is partly written: restore again into a new, empty instance.");
        }

        return (entities, manifest.Blobs.Count);
    }

    private static async Task WriteAsync(
        StorageClients clients, StorageNames names, RSA key, string root, string backupId, BackupManifest manifest, List<string> tableNames, List<string> containerNames, CancellationToken cancellationToken)
    {
        foreach (var table in tableNames)
        {
            await clients.Tables.CreateTableIfNotExistsAsync(names.Table(table), cancellationToken);
        }

        foreach (var container in containerNames)
        {
            await clients.Blobs.GetBlobContainerClient(names.Container(container)).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        foreach (var file in manifest.Tables)
        {
            var table = await OpenTableAsync(key, root, backupId, file, cancellationToken);
            var client = clients.Tables.GetTableClient(names.Table(table.Table));
            await Parallel.ForEachAsync(
                Batches(table),
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (batch, token) => await client.SubmitTransactionAsync(
                    batch.Select(entity => new TableTransactionAction(TableTransactionActionType.Add, EntityCodec.ToEntity(entity))),
                    token));
        }

        await Parallel.ForEachAsync(
            manifest.Blobs,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (file, token) =>
            {
                var (header, content) = await OpenBlobAsync(key, root, file, token);
                await clients.Blobs.GetBlobContainerClient(names.Container(header.Container)).GetBlobClient(header.Name).UploadAsync(
                    BinaryData.FromBytes(content),
                    new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders
                        {
                            ContentType = header.ContentType,
                            ContentEncoding = header.ContentEncoding,
                            ContentLanguage = header.ContentLanguage,
                            ContentDisposition = header.ContentDisposition,
                            CacheControl = header.CacheControl,
                        },
                        Metadata = header.Metadata,
                        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    },
                    token);
            });
    }

    /// <summary>One table file, checked against the manifest (hash, GCM tag, table name, entity count).</summary>
    private static async Task<StoredTable> OpenTableAsync(RSA key, string root, string backupId, TableFile file, CancellationToken cancellationToken)
    {
        // A settled day of the audit log may be held by an earlier backup of the chain.
        var folder = file.BackupId ?? backupId;
        var stored = EntityCodec.Deserialize(await OpenAsync(key, root, folder, file.File, file.Sha256, cancellationToken));
        if (stored.Table != file.Table || stored.Entities.Count != file.Entities
            || (file.Partition is { } day && stored.Entities.Any(entity => entity.PartitionKey != day)))
        {
            throw new BackupFailedException($"{folder}/{file.File} does not hold what the manifest says ({file.Entities} entities of {file.Table}); nothing was written.");
        }

        return stored;
    }

    /// <summary>One blob file, checked against the manifest (hash, GCM tag, container, name hash, length).</summary>
    private static async Task<(StoredBlobHeader Header, ReadOnlyMemory<byte> Content)> OpenBlobAsync(RSA key, string root, BlobFile blob, CancellationToken cancellationToken)
    {
        var (header, content) = StoredBlobHeader.Unpack(await OpenAsync(key, root, blob.BackupId, blob.File, blob.Sha256, cancellationToken));
        if (header.Container != blob.Container || content.Length != blob.Length
            || BackupEnvelope.Sha256(System.Text.Encoding.UTF8.GetBytes(header.Container + "/" + header.Name)) != blob.NameSha256)
        {
            throw new BackupFailedException($"{blob.BackupId}/{blob.File} does not hold what the manifest says; nothing was written.");
        }

        return (header, content);
    }

    /// <summary>
    /// A backup may predate a disposal: every case in the disposal register (the restored one, the copy
    /// <c>disposal run</c> keeps next to the backups, and the app's <c>disposal-register/{caseId}.json</c> copies in
    /// the backup container) is deleted again, with the run's own code, before the restore
    /// reports success. A restore never brings a disposed case back.
    /// </summary>
    private static async Task<int> ReapplyDisposalsAsync(ServiceProvider services, IReadOnlyList<Serverless.Cases.Disposal.DisposalRegisterEntry> kept, CancellationToken cancellationToken)
    {
        var restored = await services.GetRequiredService<Serverless.Cases.Disposal.Disposals>().RegisterAsync(cancellationToken);
        return await services.GetRequiredService<Serverless.Cases.Disposal.DisposalRunner>().ReapplyAsync(restored.Concat(kept), cancellationToken);
    }

    /// <summary>
    /// The register inside the newest backup in the folder, when an older one is restored (<c>--backup-id</c>):
    /// a case disposed between the two must not come back. Only a backup encrypted for the same key can be read.
    /// </summary>
    private static async Task<IReadOnlyList<Serverless.Cases.Disposal.DisposalRegisterEntry>> NewestRegisterAsync(RSA key, string root, string restoredId, CancellationToken cancellationToken)
    {
        var newest = BackupManifest.LatestId(root);
        if (newest is null || newest == restoredId)
        {
            return [];
        }

        var manifest = await BackupManifest.ReadAsync(root, newest, cancellationToken);
        if (manifest.RecipientKeySha256 != BackupEnvelope.Fingerprint(key))
        {
            return [];
        }

        var entities = new List<StoredEntity>();
        foreach (var file in manifest.Tables.Where(candidate => candidate.Table == Serverless.Cases.Disposal.Disposals.TableName))
        {
            entities.AddRange((await OpenTableAsync(key, root, newest, file, cancellationToken)).Entities);
        }

        return [.. entities
            .Where(entity => entity.PartitionKey == Serverless.Cases.Disposal.Disposals.RegisterPartition)
            .Select(EntityCodec.ToEntity)
            .Select(row => new Serverless.Cases.Disposal.DisposalRegisterEntry(
                row.RowKey, row.GetDateTimeOffset("DisposedAt") ?? default, row.GetString("ProposedBy") ?? "", row.GetString("ApprovedBy") ?? "", row.GetString("RuleReference") ?? ""))];
    }

    private static async Task<IReadOnlyList<Serverless.Cases.Disposal.DisposalRegisterEntry>> ReadRegisterAsync(string root, CancellationToken cancellationToken)
    {
        try
        {
            return await Disposal.DisposalRegisterFile.ReadAllAsync(root, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new BackupFailedException($"{Disposal.DisposalRegisterFile.PathIn(root)} or a disposal-register copy beside it cannot be read ({ex.Message}); nothing was written. A restore must re-apply every disposal: repair the file from its copy first.");
        }
    }

    private static async Task<byte[]> OpenAsync(RSA key, string root, string backupId, string file, string sha256, CancellationToken cancellationToken)
    {
        // The manifest is plain text anyone with write access could edit: its names must stay inside the chain's folder.
        if (!BackupManifest.IsBackupId(backupId) || !BackupManifest.IsFileName(file))
        {
            throw new BackupFailedException($"The manifest names a file outside the backup ({backupId}/{file}); nothing was written.");
        }

        var path = Path.Combine(root, backupId, file);
        if (!File.Exists(path))
        {
            throw new BackupFailedException($"{backupId}/{file} is missing (a restore needs every backup of the chain in {root}); nothing was written.");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        if (BackupEnvelope.Sha256(bytes) != sha256)
        {
            throw new BackupFailedException($"{backupId}/{file} does not match the SHA-256 in the manifest: the file was changed or damaged; nothing was written.");
        }

        try
        {
            return BackupEnvelope.Decrypt(key, bytes, $"{backupId}/{file}");
        }
        catch (BackupFailedException ex)
        {
            throw new BackupFailedException(ex.Message + " Nothing was written.");
        }
    }

    private static IEnumerable<List<StoredEntity>> Batches(StoredTable table)
    {
        foreach (var partition in table.Entities.GroupBy(entity => entity.PartitionKey, StringComparer.Ordinal))
        {
            var batch = new List<StoredEntity>();
            long bytes = 0;
            foreach (var entity in partition)
            {
                var size = EstimatedBytes(entity);
                if (batch.Count > 0 && (batch.Count == MaxBatchEntities || bytes + size > MaxBatchBytes))
                {
                    yield return batch;
                    batch = [];
                    bytes = 0;
                }

                batch.Add(entity);
                bytes += size;
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }

    /// <summary>Upper bound of the entity's size on the wire (JSON, UTF-8, with type annotations).</summary>
    private static long EstimatedBytes(StoredEntity entity)
        => 512 + (3L * (entity.PartitionKey.Length + entity.RowKey.Length))
            + entity.Properties.Sum(property => 64 + (3L * (property.Name.Length + property.Value.Length)));

    private static async Task<bool> HasEntitiesAsync(TableClient table, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages())
            {
                if (page.Values.Count > 0)
                {
                    return true;
                }

                if (page.ContinuationToken is null)
                {
                    break;
                }
            }

            return false;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private static async Task<bool> HasBlobsAsync(Azure.Storage.Blobs.BlobContainerClient container, CancellationToken cancellationToken)
    {
        await foreach (var page in container.GetBlobsAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            if (page.Values.Count > 0)
            {
                return true;
            }
        }

        return false;
    }
}
