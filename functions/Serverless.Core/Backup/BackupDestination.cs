using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Serverless.Backup;

/// <summary>
/// Where backups are written: a folder (the ops tool's <c>--to-directory</c>) or a blob container in a
/// storage account of its own (the app's daily backup, and <c>--to-container-url</c>). Both hold the
/// same layout: <c>{backupId}/tables/*.enc</c>, <c>{backupId}/blobs/*.enc</c>, and
/// <c>{backupId}/manifest.json</c> written last, so a backup without a manifest is unfinished.
/// </summary>
internal interface IBackupDestination
{
    /// <summary>Where backup <paramref name="backupId"/> went, for messages (no data, only the location).</summary>
    string Describe(string backupId);

    /// <summary>The newest finished backup (ids sort by time), or null.</summary>
    Task<string?> LatestIdAsync(CancellationToken cancellationToken);

    Task<BackupManifest> ReadManifestAsync(string backupId, CancellationToken cancellationToken);

    Task WriteFileAsync(string backupId, string file, byte[] bytes, CancellationToken cancellationToken);

    /// <summary>The signature first (when there is one), then the manifest: a finished backup always has both.</summary>
    Task WriteManifestAsync(BackupManifest manifest, ManifestSignature? signature, CancellationToken cancellationToken);
}

internal sealed class DirectoryBackupDestination(string root) : IBackupDestination
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Describe(string backupId) => Path.Combine(Root, backupId);

    public Task<string?> LatestIdAsync(CancellationToken cancellationToken) => Task.FromResult(BackupManifest.LatestId(Root));

    public Task<BackupManifest> ReadManifestAsync(string backupId, CancellationToken cancellationToken)
        => BackupManifest.ReadAsync(Root, backupId, cancellationToken);

    public async Task WriteFileAsync(string backupId, string file, byte[] bytes, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Root, backupId, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
    }

    public async Task WriteManifestAsync(BackupManifest manifest, ManifestSignature? signature, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Root, manifest.BackupId);
        Directory.CreateDirectory(directory);
        if (signature is not null)
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, ManifestSignature.FileName), signature.ToJson(), cancellationToken);
        }

        await manifest.WriteAsync(directory, cancellationToken);
    }
}

/// <summary>
/// A container in the backup storage account. Every blob is written once (<c>If-None-Match: *</c>):
/// a backup never overwrites an earlier one, which also suits a time-based immutability policy.
/// </summary>
internal sealed class ContainerBackupDestination(BlobContainerClient container) : IBackupDestination
{
    public BlobContainerClient Container { get; } = container;

    public string Describe(string backupId) => $"{Container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{backupId}/";

    public async Task<string?> LatestIdAsync(CancellationToken cancellationToken)
    {
        if (!await Container.ExistsAsync(cancellationToken))
        {
            return null;
        }

        var ids = new List<string>();
        await foreach (var item in Container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", null, cancellationToken))
        {
            if (item.IsPrefix && item.Prefix.TrimEnd('/') is var id && BackupManifest.IsBackupId(id))
            {
                ids.Add(id);
            }
        }

        foreach (var id in ids.OrderDescending(StringComparer.Ordinal))
        {
            if (await Container.GetBlobClient($"{id}/{BackupManifest.FileName}").ExistsAsync(cancellationToken))
            {
                return id;
            }
        }

        return null;
    }

    public async Task<BackupManifest> ReadManifestAsync(string backupId, CancellationToken cancellationToken)
    {
        if (!BackupManifest.IsBackupId(backupId))
        {
            throw new BackupFailedException($"{backupId} is not a backup id (they look like 20261125T090501123Z).");
        }

        var name = $"{backupId}/{BackupManifest.FileName}";
        try
        {
            var content = (await Container.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value.Content;
            return BackupManifest.Parse(content.ToArray(), backupId, name);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new BackupFailedException($"No finished backup {backupId} in {Describe("")} ({BackupManifest.FileName} is missing).");
        }
    }

    public Task WriteFileAsync(string backupId, string file, byte[] bytes, CancellationToken cancellationToken)
        => UploadOnceAsync($"{backupId}/{file}", bytes, "application/octet-stream", cancellationToken);

    public async Task WriteManifestAsync(BackupManifest manifest, ManifestSignature? signature, CancellationToken cancellationToken)
    {
        if (signature is not null)
        {
            await UploadOnceAsync($"{manifest.BackupId}/{ManifestSignature.FileName}", signature.ToJson(), "application/json", cancellationToken);
        }

        await UploadOnceAsync($"{manifest.BackupId}/{BackupManifest.FileName}", manifest.ToJson(), "application/json", cancellationToken);
    }

    private async Task UploadOnceAsync(string name, byte[] bytes, string contentType, CancellationToken cancellationToken)
        => await Container.GetBlobClient(name).UploadAsync(
            BinaryData.FromBytes(bytes),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            },
            cancellationToken);

    /// <summary>
    /// Copies every blob of the container into <paramref name="root"/> with the same relative names, for
    /// the restore, which reads a folder: the backups' files, and the app's disposal register copies
    /// (<c>disposal-register/{caseId}.json</c>, see <see cref="Cases.Disposal.DisposalRegisterCopy"/>), which the
    /// restore re-applies. Other names are skipped.
    /// </summary>
    public async Task<int> DownloadToAsync(string root, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var item in Container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var parts = item.Name.Split('/');
            var wanted = parts.Length switch
            {
                2 => (BackupManifest.IsBackupId(parts[0]) && parts[1] is BackupManifest.FileName or ManifestSignature.FileName) || IsRegisterCopy(item.Name),
                3 => BackupManifest.IsBackupId(parts[0]) && BackupManifest.IsFileName(parts[1] + "/" + parts[2]),
                _ => false,
            };
            if (!wanted)
            {
                continue;
            }

            var path = Path.Combine(root, Path.Combine(parts));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await Container.GetBlobClient(item.Name).DownloadToAsync(path, cancellationToken);
            count++;
        }

        return count;
    }

    /// <summary><c>disposal-register/{caseId}.json</c> with a well-formed case id (so the name is safe as a path).</summary>
    public static bool IsRegisterCopy(string name)
        => name.StartsWith(Cases.Disposal.DisposalRegisterCopy.Prefix, StringComparison.Ordinal)
            && name.EndsWith(".json", StringComparison.Ordinal)
            && Cases.CaseIds.IsValid(name[Cases.Disposal.DisposalRegisterCopy.Prefix.Length..^".json".Length]);
}
