using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;

namespace Serverless.Backup;

/// <summary>
/// <c>manifest.json</c>, in plain text beside the encrypted files: what a backup holds, so the next
/// backup can be incremental and a restore can check every file before writing anything. It names
/// tables and counts, never data: blobs appear by the SHA-256 of their name, which only the
/// encrypted file itself spells out. Written last, so a folder without one is an unfinished backup.
/// </summary>
internal sealed partial record BackupManifest(
    int FormatVersion,
    string BackupId,
    DateTimeOffset CreatedAt,
    string? PreviousBackupId,
    string RecipientKeySha256,
    IReadOnlyList<TableFile> Tables,
    IReadOnlyList<BlobFile> Blobs)
{
    /// <summary>2: a table may span several files (<see cref="TableFileName"/>). 1: one file per table, still read.</summary>
    public const int CurrentFormat = 2;
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public async Task WriteAsync(string backupDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(backupDirectory, FileName);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, ToJson(), cancellationToken);
        File.Move(temporary, path, overwrite: false);
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The manifest of <paramref name="backupId"/>; <paramref name="source"/> names where it was read in messages.</summary>
    public static BackupManifest Parse(byte[] json, string backupId, string source)
    {
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new BackupFailedException($"{source} is not a backup manifest: {ex.Message}");
        }

        if (manifest is null || manifest.FormatVersion is < 1 or > CurrentFormat || manifest.BackupId != backupId)
        {
            throw new BackupFailedException($"{source} is not a manifest (format 1 to {CurrentFormat}) of backup {backupId}.");
        }

        return manifest;
    }

    /// <summary>The <paramref name="index"/>th file of <paramref name="table"/>, or of one of its day partitions
    /// (format 1 wrote <c>tables/{table}.enc</c>).</summary>
    public static string TableFileName(string table, int index, string? day = null)
        => day is null ? $"tables/{table}.{index:D5}.enc" : $"tables/{table}.{day}.{index:D5}.enc";

    /// <summary>Ids are UTC times to the millisecond (<c>20261125T090501123Z</c>): they sort by time and are safe folder names.</summary>
    public static bool IsBackupId(string id) => BackupIdPattern().IsMatch(id);

    /// <summary>When the backup started, on the clock of whoever ran it: its id, taken before any store is read.
    /// Null for anything that is not a backup id (the manifest is plain text).</summary>
    public static DateTimeOffset? StartedAt(string backupId)
        => DateTimeOffset.TryParseExact(backupId, "yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    public static async Task<BackupManifest> ReadAsync(string root, string backupId, CancellationToken cancellationToken)
    {
        if (!IsBackupId(backupId))
        {
            throw new BackupFailedException($"{backupId} is not a backup id (they look like 20261125T090501123Z).");
        }

        var path = Path.Combine(root, backupId, FileName);
        if (!File.Exists(path))
        {
            throw new BackupFailedException($"No finished backup {backupId} in {root} ({FileName} is missing).");
        }

        return Parse(await File.ReadAllBytesAsync(path, cancellationToken), backupId, path);
    }

    /// <summary>The newest finished backup in <paramref name="root"/> (ids sort by time), or null.</summary>
    public static string? LatestId(string root)
        => Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .Where(directory => File.Exists(Path.Combine(directory, FileName)))
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(IsBackupId)
                .Order(StringComparer.Ordinal)
                .LastOrDefault()
            : null;

    /// <summary>
    /// A file a manifest may name, relative to its backup's folder: <c>tables/Cases.00000.enc</c> and
    /// <c>tables/AuditLog.20261125.00000.enc</c> (format 2), <c>tables/Cases.enc</c> (format 1) or <c>blobs/{sha256}.enc</c>. The manifest is plain text anyone with
    /// write access could edit, so nothing else is read or downloaded.
    /// </summary>
    public static bool IsFileName(string file) => FileNamePattern().IsMatch(file);

    [GeneratedRegex("^(tables|blobs)/[A-Za-z0-9]{1,64}(\\.[0-9]{8})?(\\.[0-9]{5})?\\.enc$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}Z$")]
    private static partial Regex BackupIdPattern();
}

/// <summary>
/// One file of a table (its base name, restored under the target's prefix). <paramref name="Partition"/> is set when
/// the file holds one partition of a table whose settled partitions never change (the audit log's UTC days), so a
/// later backup may point at it instead of copying it again; <paramref name="BackupId"/> is then the backup whose
/// folder holds it (null: this backup's own folder).
/// </summary>
internal sealed record TableFile(string Table, long Entities, string File, string Sha256, string? Partition = null, string? BackupId = null);

/// <summary>
/// One blob. <see cref="BackupId"/> is the backup whose folder holds its content: this one when the
/// blob changed, an earlier one when it did not, so a restore needs the whole chain.
/// </summary>
internal sealed record BlobFile(string Container, string NameSha256, string ETag, DateTimeOffset? LastModified, long Length, string BackupId, string File, string Sha256);
