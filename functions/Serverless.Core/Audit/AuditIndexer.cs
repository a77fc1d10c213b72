using Azure.Data.Tables;

namespace Serverless.Audit;

/// <summary>
/// Writes the <c>AuditByCase</c> rows of audit entries: one per case each outcome or event concerns (its own case
/// and every case its answer carried). The sealer calls it for each batch before sealing it, so every sealed entry
/// is indexed, and a request never waits for it: an answer that carried fifty cases costs the request one outcome
/// entry, not fifty index rows. Until its entry is sealed, <see cref="AuditQuery"/> finds it in the log itself.
/// Idempotent (the rows are copies): a sealer that stopped midway writes them again.
/// </summary>
public sealed class AuditIndexer(AuditTables tables)
{
    private const int Parallelism = 16;

    public async Task<int> IndexAsync(IReadOnlyList<TableEntity> entries, CancellationToken cancellationToken)
    {
        var rows = entries
            .Where(entry => entry.GetString(nameof(AuditEntryEntity.Kind)) is AuditEntryKinds.Outcome or AuditEntryKinds.Event)
            .SelectMany(entry => CasesOf(entry).Select(caseId => IndexRow(caseId, entry)))
            .ToList();
        await Parallel.ForEachAsync(
            rows,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (row, token) => await tables.ByCase.UpsertEntityAsync(row, TableUpdateMode.Replace, token));
        return rows.Count;
    }

    /// <summary>The cases an outcome or event is indexed under: its own, then every case the answer carried.</summary>
    public static IReadOnlyList<string> CasesOf(TableEntity entry)
        => AuditTrail.CasesOf(entry.GetString(nameof(AuditEntryEntity.CaseId)), entry.GetString(nameof(AuditEntryEntity.CasesTouched)));

    /// <summary>The index row of <paramref name="entry"/> under <paramref name="caseId"/>: its non-personal fields (no client address).</summary>
    public static AuditByCaseEntity IndexRow(string caseId, TableEntity entry) => new()
    {
        PartitionKey = caseId,
        RowKey = entry.RowKey,
        Kind = entry.GetString(nameof(AuditEntryEntity.Kind)) ?? "",
        At = entry.GetDateTimeOffset(nameof(AuditEntryEntity.At)) ?? default,
        ActorKind = entry.GetString(nameof(AuditEntryEntity.ActorKind)) ?? "",
        ActorId = entry.GetString(nameof(AuditEntryEntity.ActorId)),
        AgencyId = entry.GetString(nameof(AuditEntryEntity.AgencyId)),
        Role = entry.GetString(nameof(AuditEntryEntity.Role)),
        Action = entry.GetString(nameof(AuditEntryEntity.Action)) ?? "",
        EntryId = entry.GetString(nameof(AuditEntryEntity.EntryId)),
        EntriesTouched = entry.GetString(nameof(AuditEntryEntity.EntriesTouched)),
        Outcome = entry.GetString(nameof(AuditEntryEntity.Outcome)),
        BreakGlass = entry.GetBoolean(nameof(AuditEntryEntity.BreakGlass)) ?? false,
        RequestId = entry.GetString(nameof(AuditEntryEntity.RequestId)) ?? "",
        TargetMunicipalityCode = entry.GetString(nameof(AuditEntryEntity.TargetMunicipalityCode)),
        TargetMessageId = entry.GetString(nameof(AuditEntryEntity.TargetMessageId)),
        TargetFileHashes = entry.GetString(nameof(AuditEntryEntity.TargetFileHashes)),
    };
}
