using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;

namespace Serverless.Audit;

/// <summary>
/// Walks the seal chain and checks everything it promises: each seal row against its WORM copy and the
/// previous seal, each sealed entry against its hash, every entry in a sealed range against the seal's
/// list, every intent against an outcome, and every outcome's cases against the <c>AuditByCase</c> index.
/// Read only. Memory grows with the findings and a seal's entries, not with the whole log.
/// </summary>
public sealed class AuditVerifier(AuditTables tables, IOptions<AuditOptions> options, TimeProvider clock)
{
    /// <summary>Beyond this many hash comparisons the verifier stops telling moved entries from edited ones.</summary>
    private const long MaxReorderComparisons = 1_000_000;

    private const int IndexReadParallelism = 16;

    public async Task<AuditVerificationReport> VerifyAsync(CancellationToken cancellationToken)
    {
        var walk = new Walk();
        var before = AuditEntryIds.TicksKey(clock.GetUtcNow() - options.Value.SettleDelay);
        var blobNumbers = await SealBlobNumbersAsync(cancellationToken);
        var seen = new HashSet<long>();
        var (expected, previousHash, previousTo) = (1L, AuditHashing.Genesis, (string?)null);
        var (seals, sealedEntries) = (0L, 0L);

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AuditSealEntity.Partition}");
        await foreach (var row in tables.Seals.QueryAsync<AuditSealEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!long.TryParse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || row.RowKey != AuditSealEntity.Key(number))
            {
                walk.Add(AuditFindingKinds.ChainBroken, null, null, $"seal row '{row.RowKey}' is not a seal number");
                continue;
            }

            seals++;
            seen.Add(number);
            var gap = number != expected;
            if (gap)
            {
                walk.Add(AuditFindingKinds.ChainBroken, number, null, $"seal numbers jump from {expected - 1} to {number}");
            }

            expected = number + 1;
            var document = await ReadDocumentAsync(number, cancellationToken);
            if (document is null)
            {
                walk.Add(AuditFindingKinds.ChainBroken, number, null, "the seal's WORM copy is missing or unreadable, so its entries cannot be checked");
                await TrackAsync(walk, number, await ReadAsync(previousTo, row.ToEntryId, cancellationToken), cancellationToken);
                (previousHash, previousTo) = (row.Hash, row.ToEntryId);
                continue;
            }

            CheckSeal(walk, number, row, document, gap ? null : previousHash, previousTo);
            sealedEntries += document.Entries.Count;

            // After a gap the missing seal's range cannot be checked (the gap is reported); start at this seal's own first entry.
            var entries = gap && document.Entries.Count > 0
                ? await ReadAsync(tables.Log.QueryAsync<TableEntity>(AuditTables.EntryRangeFilter(document.FromEntryId, document.ToEntryId, null, fromInclusive: true), cancellationToken: cancellationToken))
                : await ReadAsync(previousTo, document.ToEntryId, cancellationToken);
            Compare(walk, number, document, entries);
            await TrackAsync(walk, number, entries, cancellationToken);
            (previousHash, previousTo) = (document.Hash, document.ToEntryId);
        }

        foreach (var number in blobNumbers.Except(seen).Order())
        {
            walk.Add(AuditFindingKinds.ChainBroken, number, null, "a WORM copy exists for a seal the table does not have");
        }

        await FindMisplacedRowsAsync(walk, cancellationToken);
        var tail = await ReadAsync(tables.ReadEntriesAsync(previousTo, null, before, null, cancellationToken));
        await TrackAsync(walk, null, tail, cancellationToken, checkIndex: false); // indexed when sealed
        walk.Tail.AddRange(tail);

        await FindUnansweredIntentsAsync(walk, tail.Count > 0 ? tail[^1].RowKey : previousTo, cancellationToken);
        ExplainHashMismatches(walk);

        var findings = walk.Findings
            .OrderBy(finding => finding.SealNumber ?? long.MaxValue)
            .ThenBy(finding => finding.EntryId, StringComparer.Ordinal)
            .ThenBy(finding => finding.Kind, StringComparer.Ordinal)
            .ThenBy(finding => finding.Detail, StringComparer.Ordinal)
            .ToList();
        return new AuditVerificationReport(seals, sealedEntries, tail.Count, findings);
    }

    private static void CheckSeal(Walk walk, long number, AuditSealEntity row, AuditSealDocument document, string? previousHash, string? previousTo)
    {
        void Broken(string detail) => walk.Add(AuditFindingKinds.ChainBroken, number, null, detail);

        if (document.Number != number)
        {
            Broken($"the WORM copy names seal {document.Number}");
        }

        foreach (var (field, inTable, inBlob) in new (string, string, string)[]
        {
            (nameof(row.FromEntryId), row.FromEntryId, document.FromEntryId),
            (nameof(row.ToEntryId), row.ToEntryId, document.ToEntryId),
            (nameof(row.Count), row.Count.ToString(CultureInfo.InvariantCulture), document.Count.ToString(CultureInfo.InvariantCulture)),
            (nameof(row.PreviousHash), row.PreviousHash, document.PreviousHash),
            (nameof(row.Hash), row.Hash, document.Hash),
            (nameof(row.SealedAt), row.SealedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), document.SealedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)),
        })
        {
            if (!string.Equals(inTable, inBlob, StringComparison.Ordinal))
            {
                Broken($"the seal row's {field} differs from its WORM copy");
            }
        }

        var ids = document.Entries.Select(entry => entry.Id).ToList();
        var ordered = ids.Zip(ids.Skip(1)).All(pair => string.CompareOrdinal(pair.First, pair.Second) < 0);
        if (ids.Count == 0 || ids.Count != document.Count || ids[0] != document.FromEntryId || ids[^1] != document.ToEntryId || !ordered
            || (previousTo is not null && string.CompareOrdinal(ids[0], previousTo) <= 0)
            || !document.Entries.All(entry => AuditHashing.IsHash(entry.Hash)))
        {
            Broken("the WORM copy's entry list does not match its range");
            return;
        }

        var hash = AuditHashing.SealHash(document.PreviousHash, document.Entries.Select(entry => entry.Hash), number, document.FromEntryId, document.ToEntryId, document.Count, document.SealedAt);
        if (hash != document.Hash)
        {
            Broken("the WORM copy's hash does not match its contents");
        }

        if (previousHash is not null && document.PreviousHash != previousHash)
        {
            Broken($"the previous hash is not seal {number - 1}'s hash");
        }
    }

    /// <summary>Sets aside what does not match; <see cref="ExplainHashMismatches"/> decides what it was.</summary>
    private static void Compare(Walk walk, long number, AuditSealDocument document, List<TableEntity> entries)
    {
        var stored = entries.ToDictionary(entry => entry.RowKey, StringComparer.Ordinal);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sealedEntry in document.Entries)
        {
            listed.Add(sealedEntry.Id);
            if (!stored.TryGetValue(sealedEntry.Id, out var entry))
            {
                walk.Targets.Add(new Target(number, sealedEntry.Id, sealedEntry.Hash, Exists: false));
            }
            else if (AuditHashing.EntryHash(entry) != sealedEntry.Hash)
            {
                walk.Targets.Add(new Target(number, sealedEntry.Id, sealedEntry.Hash, Exists: true));
                walk.Changed.Add(entry);
            }
        }

        walk.Unlisted.AddRange(entries.Where(entry => !listed.Contains(entry.RowKey)).Select(entry => (number, entry)));
    }

    /// <summary>
    /// A sealed entry whose content now sits under other keys was moved (swapped, or given another id and so
    /// another time): "reordered". What is left is edited (still there, other content), deleted (gone) or
    /// inserted (in a sealed range, in no seal).
    /// </summary>
    private static void ExplainHashMismatches(Walk walk)
    {
        var explained = new Dictionary<Target, string>();
        var explainedCandidates = new HashSet<string>(StringComparer.Ordinal);
        if (walk.Targets.Count > 0)
        {
            var candidates = walk.Changed.Concat(walk.Unlisted.Select(item => item.Entry)).Concat(walk.Tail).ToList();
            if ((long)candidates.Count * walk.Targets.Count <= MaxReorderComparisons)
            {
                foreach (var candidate in candidates)
                {
                    foreach (var target in walk.Targets.Where(target => !explained.ContainsKey(target) && target.Id != candidate.RowKey))
                    {
                        if (AuditHashing.EntryHash(candidate, AuditEntryIds.DayOf(target.Id) ?? "", target.Id) == target.Hash)
                        {
                            explained[target] = candidate.RowKey;
                            explainedCandidates.Add(candidate.RowKey);
                            break;
                        }
                    }
                }
            }
        }

        foreach (var target in walk.Targets)
        {
            if (explained.TryGetValue(target, out var now))
            {
                walk.Add(AuditFindingKinds.Reordered, target.Seal, target.Id, $"the sealed content of this entry is now stored as entry {now}");
            }
            else if (target.Exists)
            {
                walk.Add(AuditFindingKinds.Edited, target.Seal, target.Id, "the stored entry no longer gives its sealed hash");
            }
            else
            {
                walk.Add(AuditFindingKinds.Deleted, target.Seal, target.Id, "the sealed entry is missing");
            }
        }

        foreach (var (seal, entry) in walk.Unlisted.Where(item => !explainedCandidates.Contains(item.Entry.RowKey)))
        {
            walk.Add(AuditFindingKinds.Inserted, seal, entry.RowKey, $"the entry lies in seal {seal}'s range but the seal does not list it");
        }
    }

    /// <summary>Pairs intents with outcomes, and checks each sealed outcome's index rows (point reads, side by side).</summary>
    private async Task TrackAsync(Walk walk, long? seal, List<TableEntity> entries, CancellationToken cancellationToken, bool checkIndex = true)
    {
        var indexChecks = new List<(TableEntity Entry, string CaseId)>();
        foreach (var entry in entries)
        {
            switch (entry.GetString(nameof(AuditEntryEntity.Kind)))
            {
                case AuditEntryKinds.Intent:
                    if (!walk.OutcomesAhead.Remove(entry.RowKey))
                    {
                        walk.OpenIntents[entry.RowKey] = seal;
                    }

                    break;
                case AuditEntryKinds.Outcome:
                    if (entry.GetString(nameof(AuditEntryEntity.IntentId)) is { } intentId && !walk.OpenIntents.Remove(intentId))
                    {
                        walk.OutcomesAhead.Add(intentId);
                    }

                    indexChecks.AddRange(CasesOf(entry).Select(caseId => (entry, caseId)));
                    break;
                case AuditEntryKinds.Event:
                    indexChecks.AddRange(CasesOf(entry).Select(caseId => (entry, caseId)));
                    break;
            }
        }

        if (!checkIndex)
        {
            return;
        }

        var findings = new ConcurrentBag<AuditFinding>();
        await Parallel.ForEachAsync(
            indexChecks,
            new ParallelOptions { MaxDegreeOfParallelism = IndexReadParallelism, CancellationToken = cancellationToken },
            async (check, token) =>
            {
                var row = await tables.ByCase.GetEntityIfExistsAsync<TableEntity>(check.CaseId, check.Entry.RowKey, cancellationToken: token);
                if (!row.HasValue)
                {
                    findings.Add(new(AuditFindingKinds.IndexMissing, seal, check.Entry.RowKey, $"no AuditByCase row for case {check.CaseId}"));
                }
                else if (IndexDifference(check.Entry, row.Value!) is { } field)
                {
                    findings.Add(new(AuditFindingKinds.IndexMismatch, seal, check.Entry.RowKey, $"the AuditByCase row for case {check.CaseId} differs in {field}"));
                }
            });
        walk.Findings.AddRange(findings);
    }

    /// <summary>Intents still open: an outcome younger than the settle delay still counts (a slow request).</summary>
    private async Task FindUnansweredIntentsAsync(Walk walk, string? after, CancellationToken cancellationToken)
    {
        if (walk.OpenIntents.Count > 0 && after is not null)
        {
            var filter = AuditTables.EntryRangeFilter(after, null, null)
                + " and " + TableClient.CreateQueryFilter($"Kind eq {AuditEntryKinds.Outcome}");
            await foreach (var outcome in tables.Log.QueryAsync<TableEntity>(filter, select: ["IntentId"], cancellationToken: cancellationToken))
            {
                if (outcome.GetString(nameof(AuditEntryEntity.IntentId)) is { } intentId)
                {
                    walk.OpenIntents.Remove(intentId);
                }
            }
        }

        foreach (var (intentId, seal) in walk.OpenIntents)
        {
            walk.Add(AuditFindingKinds.IntentWithoutOutcome, seal, intentId, "no outcome entry answers this intent");
        }
    }

    /// <summary>
    /// Rows whose keys are not an entry id in its own day: the range queries above never read them (a row key
    /// that does not start with ticks sorts outside every range), so one scan of the keys finds them.
    /// </summary>
    private async Task FindMisplacedRowsAsync(Walk walk, CancellationToken cancellationToken)
    {
        await foreach (var row in tables.Log.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (!AuditEntryIds.IsEntryId(row.RowKey) || AuditEntryIds.DayOf(row.RowKey) != row.PartitionKey)
            {
                // The keys were not written by the app and could hold anything: shown only when they look like ids.
                var shown = AuditFieldFilter.OpaqueId(row.PartitionKey, "", []) is not null && AuditFieldFilter.OpaqueId(row.RowKey, "", []) is not null;
                walk.Add(
                    AuditFindingKinds.Inserted,
                    null,
                    shown ? row.RowKey : null,
                    shown ? $"a row in partition {row.PartitionKey} whose keys are not an audit entry id in its own day" : "a row whose keys are not an audit entry id (keys not shown)");
            }
        }
    }

    private static string? IndexDifference(TableEntity entry, TableEntity row)
    {
        string[] copied =
        [
            nameof(AuditByCaseEntity.Kind), nameof(AuditByCaseEntity.At), nameof(AuditByCaseEntity.ActorKind), nameof(AuditByCaseEntity.ActorId),
            nameof(AuditByCaseEntity.AgencyId), nameof(AuditByCaseEntity.Role), nameof(AuditByCaseEntity.Action), nameof(AuditByCaseEntity.EntryId),
            nameof(AuditByCaseEntity.Outcome), nameof(AuditByCaseEntity.BreakGlass), nameof(AuditByCaseEntity.RequestId), nameof(AuditByCaseEntity.EntriesTouched),
            nameof(AuditByCaseEntity.TargetMunicipalityCode), nameof(AuditByCaseEntity.TargetMessageId), nameof(AuditByCaseEntity.TargetFileHashes),
        ];
        return copied.FirstOrDefault(field => !Equals(Value(entry, field), Value(row, field)));

        static object? Value(TableEntity entity, string field) => entity.TryGetValue(field, out var value) ? value : null;
    }

    private static IReadOnlyList<string> CasesOf(TableEntity entry) => AuditIndexer.CasesOf(entry);

    private Task<List<TableEntity>> ReadAsync(string? after, string through, CancellationToken cancellationToken)
        => ReadAsync(tables.ReadEntriesAsync(after, through, null, null, cancellationToken));

    private static async Task<List<TableEntity>> ReadAsync(IAsyncEnumerable<TableEntity> query)
    {
        var entries = new List<TableEntity>();
        await foreach (var entry in query)
        {
            entries.Add(entry);
        }

        return entries;
    }

    private async Task<AuditSealDocument?> ReadDocumentAsync(long number, CancellationToken cancellationToken)
    {
        try
        {
            var content = await tables.SealBlobs.GetBlobClient(AuditTables.SealBlobName(number)).DownloadContentAsync(cancellationToken);
            return AuditSealDocument.Parse(content.Value.Content);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task<HashSet<long>> SealBlobNumbersAsync(CancellationToken cancellationToken)
    {
        var numbers = new HashSet<long>();
        await foreach (var blob in tables.SealBlobs.GetBlobsAsync(new GetBlobsOptions { Prefix = "seals/" }, cancellationToken))
        {
            if (AuditTables.SealNumberOf(blob.Name) is { } number)
            {
                numbers.Add(number);
            }
        }

        return numbers;
    }

    private sealed record Target(long Seal, string Id, string Hash, bool Exists);

    private sealed class Walk
    {
        public List<AuditFinding> Findings { get; } = [];

        public List<Target> Targets { get; } = [];

        public List<TableEntity> Changed { get; } = [];

        public List<(long Seal, TableEntity Entry)> Unlisted { get; } = [];

        public List<TableEntity> Tail { get; } = [];

        /// <summary>Intent id → the seal it is in (null: not sealed yet).</summary>
        public Dictionary<string, long?> OpenIntents { get; } = new(StringComparer.Ordinal);

        /// <summary>Outcomes read before their intent (a clock behind by a little).</summary>
        public HashSet<string> OutcomesAhead { get; } = new(StringComparer.Ordinal);

        public void Add(string kind, long? seal, string? entryId, string detail) => Findings.Add(new AuditFinding(kind, seal, entryId, detail));
    }
}
