using Serverless.Audit;
using Serverless.Storage;

namespace Serverless.Backup;

/// <summary>One table or one container a backup reads.</summary>
internal abstract record BackupSource(string Name);

internal sealed record TableSource(string Name) : BackupSource(Name);

internal sealed record ContainerSource(string Name) : BackupSource(Name);

/// <summary>
/// The order a backup reads the stores in. Tables are not read in one transaction, so the order decides
/// what a snapshot taken while the app runs can hold. The case data comes first and the audit trail last,
/// so the snapshot's audit covers every access to the data it holds; within the audit trail the seals come
/// before the entries they cover (<c>AuditSeals</c>, then the WORM copies, then <c>AuditLog</c>, then
/// <c>AuditByCase</c>). A seal is written only over entries already in the log and an outcome before its
/// index rows, so every seal in the snapshot finds its entries, and every outcome its index rows.
/// A seal written during the backup may still show up as a WORM copy without its row:
/// <see cref="BackupService"/> leaves such a copy out (the restored instance seals those entries again). A seal
/// row whose copy was not yet written is the newest seal, and the restored instance's sealer writes its copy first.
/// </summary>
internal static class BackupReadOrder
{
    private static readonly BackupSource[] AuditTrailLast =
    [
        new TableSource(AuditTables.SealTable),
        new ContainerSource(AuditTables.SealContainer),
        new TableSource(AuditTables.LogTable),
        new TableSource(AuditTables.ByCaseTable),
    ];

    public static IReadOnlyList<BackupSource> Of(StorageResources declared)
    {
        var sources = declared.Tables.Select(table => (BackupSource)new TableSource(table))
            .Concat(declared.Containers.Select(container => new ContainerSource(container)))
            .ToList();
        var last = AuditTrailLast.Where(sources.Contains).ToList();
        return [.. sources.Except(last), .. last];
    }
}
