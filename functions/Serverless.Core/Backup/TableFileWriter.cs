using System.Security.Cryptography;
using Azure.Data.Tables;

namespace Serverless.Backup;

/// <summary>
/// Streams one table's entities into encrypted files of at most <see cref="EntitiesPerFile"/> entities, so a backup
/// holds one file's worth in memory however large the table grows. Entities of a day partition (when the caller
/// names one) go into files of that day alone, which later backups can point at instead of copying again.
/// </summary>
internal sealed class TableFileWriter(IBackupDestination destination, RSA recipient, string backupId, string table)
{
    /// <summary>A few MB of JSON: the most a backup or a restore holds in memory at once.</summary>
    public const int EntitiesPerFile = 5_000;

    private readonly List<StoredEntity> chunk = new(EntitiesPerFile);
    private readonly Dictionary<string, int> filesPerDay = new(StringComparer.Ordinal);
    private readonly List<TableFile> files = [];
    private string? day;

    /// <param name="partitionDay">The entity's day partition when its file may be reused later; null otherwise.
    /// Entities arrive in partition order, as a table query returns them.</param>
    public async Task AddAsync(TableEntity entity, string? partitionDay, CancellationToken cancellationToken)
    {
        if (chunk.Count > 0 && (partitionDay != day || chunk.Count == EntitiesPerFile))
        {
            await FlushAsync(cancellationToken);
        }

        day = partitionDay;
        chunk.Add(EntityCodec.ToStored(entity));
    }

    /// <param name="othersExist">False when the table has no other files (reused ones): an empty table then still gets
    /// one empty file, so the restore creates it.</param>
    public async Task<IReadOnlyList<TableFile>> FinishAsync(bool othersExist, CancellationToken cancellationToken)
    {
        if (chunk.Count > 0 || (files.Count == 0 && !othersExist))
        {
            await FlushAsync(cancellationToken);
        }

        return files;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var index = filesPerDay.GetValueOrDefault(day ?? "");
        filesPerDay[day ?? ""] = index + 1;
        var file = BackupManifest.TableFileName(table, index, day);
        var bytes = BackupEnvelope.Encrypt(recipient, EntityCodec.Serialize(table, chunk), $"{backupId}/{file}");
        await destination.WriteFileAsync(backupId, file, bytes, cancellationToken);
        files.Add(new TableFile(table, chunk.Count, file, BackupEnvelope.Sha256(bytes), day));
        chunk.Clear();
    }
}
