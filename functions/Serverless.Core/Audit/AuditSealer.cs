using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Audit;

/// <summary>What one sealer run did.</summary>
public sealed record AuditSealRun(int SealsWritten, int EntriesSealed, long LastSealNumber, bool LostRace);

/// <summary>
/// Seals audit entries into a hash chain after the fact, so no request ever waits on a lock. A run takes
/// the entries after the last sealed id that are older than the settle delay, in id order, at most
/// <see cref="AuditOptions.EntriesPerSeal"/> at a time, and writes seal N: first the table row (an insert,
/// so of two racing sealers exactly one writes N and the other stops; the row names the run that wrote it, so
/// the storage client's retry of a row this run stored is not taken for a rival's), then the WORM blob (create only).
/// A sealer that died between the two has its blob written by the next run, from the same entries, only if
/// they still give the hash the row holds. Before each seal the batch's by-case index rows are written
/// (<see cref="AuditIndexer"/>), so the index covers exactly the sealed entries, and the unsealed tail is read from the log.
/// </summary>
public sealed class AuditSealer(AuditTables tables, AuditIndexer indexer, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditSealer> logger)
{
    public async Task<AuditSealRun> SealAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var last = await LastSealAsync(cancellationToken);
        if (last is not null)
        {
            await EnsureBlobAsync(last, cancellationToken);
        }

        var number = last is null ? 0 : long.Parse(last.RowKey, System.Globalization.CultureInfo.InvariantCulture);
        var previousHash = last?.Hash ?? AuditHashing.Genesis;
        var watermark = last?.ToEntryId;
        var (sealsWritten, entriesSealed) = (0, 0);
        var writer = Guid.NewGuid().ToString("N");

        while (sealsWritten < settings.MaxSealsPerRun)
        {
            // Read afresh each round: the cut-off moves with the clock, and whatever a racing sealer did is seen.
            var before = AuditEntryIds.TicksKey(clock.GetUtcNow() - settings.SettleDelay);
            var entries = await ReadBatchAsync(watermark, before, settings.EntriesPerSeal, cancellationToken);
            if (entries.Count == 0)
            {
                break;
            }

            // Indexed before sealed, so every sealed entry is in the by-case index (and a repeat run rewrites the same rows).
            await indexer.IndexAsync(entries, cancellationToken);
            var seal = Seal(number + 1, previousHash, entries, clock.GetUtcNow());
            seal.Row.Writer = writer;
            if (!await InsertAsync(seal.Row, cancellationToken))
            {
                // Another sealer wrote this number first; it carries on from here.
                logger.LogInformation("Audit seal {SealNumber} was written by another sealer; this run stops", number + 1);
                return new AuditSealRun(sealsWritten, entriesSealed, number, LostRace: true);
            }

            await WriteBlobAsync(seal.Document, cancellationToken);
            number++;
            previousHash = seal.Row.Hash;
            watermark = seal.Row.ToEntryId;
            sealsWritten++;
            entriesSealed += entries.Count;
            logger.LogInformation("Audit seal {SealNumber} written: {EntryCount} entries up to {ToEntryId}", number, entries.Count, watermark);

            if (entries.Count < settings.EntriesPerSeal)
            {
                break;
            }
        }

        if (sealsWritten > 0)
        {
            await tables.Seals.UpsertEntityAsync(new AuditSealHeadEntity { LastSealNumber = number }, TableUpdateMode.Replace, cancellationToken);
        }

        return new AuditSealRun(sealsWritten, entriesSealed, number, LostRace: false);
    }

    /// <summary>Seal <paramref name="number"/> over <paramref name="entries"/> (read back from storage, in id order).</summary>
    public static (AuditSealEntity Row, AuditSealDocument Document) Seal(long number, string previousHash, IReadOnlyList<TableEntity> entries, DateTimeOffset now)
    {
        var sealedAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var sealedEntries = entries.Select(entry => new AuditSealedEntry(entry.RowKey, AuditHashing.EntryHash(entry))).ToList();
        var (from, to) = (sealedEntries[0].Id, sealedEntries[^1].Id);
        var hash = AuditHashing.SealHash(previousHash, sealedEntries.Select(entry => entry.Hash), number, from, to, sealedEntries.Count, sealedAt);
        var row = new AuditSealEntity
        {
            RowKey = AuditSealEntity.Key(number),
            FromEntryId = from,
            ToEntryId = to,
            Count = sealedEntries.Count,
            PreviousHash = previousHash,
            Hash = hash,
            SealedAt = sealedAt,
        };
        var document = new AuditSealDocument(AuditSealDocument.CurrentSchemaVersion, number, from, to, sealedEntries.Count, sealedAt, previousHash, hash, sealedEntries);
        return (row, document);
    }

    /// <summary>The seal with the highest number: from the head hint forward (one point read, one short query).</summary>
    public async Task<AuditSealEntity?> LastSealAsync(CancellationToken cancellationToken)
    {
        var hint = await tables.Seals.GetEntityIfExistsAsync<AuditSealHeadEntity>(AuditSealHeadEntity.Key, AuditSealHeadEntity.Key, cancellationToken: cancellationToken);
        var from = hint.HasValue ? hint.Value!.LastSealNumber : 0;
        var last = await LastFromAsync(from, cancellationToken);
        if (last is null && from > 0)
        {
            // A hint past the chain's end (it should not be): read the whole chain.
            last = await LastFromAsync(0, cancellationToken);
        }

        return last;
    }

    private async Task<AuditSealEntity?> LastFromAsync(long number, CancellationToken cancellationToken)
    {
        AuditSealEntity? last = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AuditSealEntity.Partition} and RowKey ge {AuditSealEntity.Key(number)}");
        await foreach (var seal in tables.Seals.QueryAsync<AuditSealEntity>(filter, cancellationToken: cancellationToken))
        {
            last = seal;
        }

        return last;
    }

    /// <summary>Inserts a seal row; false when another sealer wrote that number first. The storage client retries an insert
    /// whose answer was lost, and the retry meets the row this run stored (409): that row is this run's, not a rival's.</summary>
    private async Task<bool> InsertAsync(AuditSealEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Seals.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var stored = await tables.Seals.GetEntityIfExistsAsync<AuditSealEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
            return stored.HasValue && stored.Value!.Writer == row.Writer;
        }
    }

    private async Task<List<TableEntity>> ReadBatchAsync(string? watermark, string before, int max, CancellationToken cancellationToken)
    {
        var entries = new List<TableEntity>(max);
        await foreach (var entry in tables.ReadEntriesAsync(watermark, null, before, max, cancellationToken))
        {
            entries.Add(entry);
            if (entries.Count == max)
            {
                break;
            }
        }

        return entries;
    }

    private async Task WriteBlobAsync(AuditSealDocument document, CancellationToken cancellationToken)
    {
        try
        {
            // Create only: a WORM copy is never replaced.
            await tables.SealBlobs.GetBlobClient(AuditTables.SealBlobName(document.Number)).UploadAsync(
                document.ToBinary(),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already there (a repeated repair); the verifier compares it with the row.
        }
    }

    /// <summary>Writes the last seal's blob if a sealer died after its row: only when the entries still give its hash.</summary>
    private async Task EnsureBlobAsync(AuditSealEntity last, CancellationToken cancellationToken)
    {
        var number = long.Parse(last.RowKey, System.Globalization.CultureInfo.InvariantCulture);
        if (await tables.SealBlobs.GetBlobClient(AuditTables.SealBlobName(number)).ExistsAsync(cancellationToken))
        {
            return;
        }

        var entries = new List<TableEntity>();
        string? after = null;
        if (number > 1)
        {
            var previous = await tables.Seals.GetEntityIfExistsAsync<AuditSealEntity>(AuditSealEntity.Partition, AuditSealEntity.Key(number - 1), cancellationToken: cancellationToken);
            after = previous.HasValue ? previous.Value!.ToEntryId : null;
        }

        await foreach (var entry in tables.ReadEntriesAsync(after, last.ToEntryId, null, null, cancellationToken))
        {
            entries.Add(entry);
        }

        if (entries.Count == 0)
        {
            logger.LogError("Audit seal {SealNumber} has no blob and its entries are gone; run the verifier", number);
            return;
        }

        var (row, document) = Seal(number, last.PreviousHash, entries, last.SealedAt);
        if (row.Hash != last.Hash || row.FromEntryId != last.FromEntryId || row.Count != last.Count)
        {
            logger.LogError("Audit seal {SealNumber} has no blob and its entries no longer give its hash; run the verifier", number);
            return;
        }

        await WriteBlobAsync(document, cancellationToken);
        logger.LogWarning("Audit seal {SealNumber} had no blob (a sealer stopped after its row); written now", number);
    }
}
