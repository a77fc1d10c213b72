using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Audit.AuditTestHost;

namespace Serverless.Tests.Audit;

/// <summary>Sealing against Azurite: order, idempotence, the settle delay, caps, races and a crash between row and blob.</summary>
public sealed class AuditSealerTests
{
    [Fact]
    public async Task SealingChainsEveryEntryInIdOrderIntoTheTableRowAndItsWormCopy()
    {
        await using var host = await StartAsync();
        var scenario = await host.WriteScenarioAsync();

        var run = await host.SealAllAsync();

        Assert.Equal(new AuditSealRun(SealsWritten: 1, EntriesSealed: 6, LastSealNumber: 1, LostRace: false), run);
        var row = Assert.Single(await host.SealRowsAsync());
        var stored = (await host.RawEntriesAsync()).OrderBy(entry => entry.RowKey, StringComparer.Ordinal).ToList();
        var hashes = stored.Select(AuditHashing.EntryHash).ToList();
        var sealedAt = Start.AddSeconds(5).AddMinutes(6);
        var expectedHash = AuditHashing.SealHash(AuditHashing.Genesis, hashes, 1, scenario.EntryIds[0], scenario.EntryIds[^1], 6, sealedAt);
        Assert.Equal(
            ("seal", "000000000001", 1, scenario.EntryIds[0], scenario.EntryIds[^1], 6, AuditHashing.Genesis, expectedHash, sealedAt),
            (row.PartitionKey, row.RowKey, row.SchemaVersion, row.FromEntryId, row.ToEntryId, row.Count, row.PreviousHash, row.Hash, row.SealedAt));
        var document = await host.SealDocumentAsync(1);
        Assert.Equal(
            new AuditSealDocument(1, 1, row.FromEntryId, row.ToEntryId, 6, sealedAt, AuditHashing.Genesis, expectedHash, []),
            document with { Entries = [] });
        Assert.Equal(scenario.EntryIds.Zip(hashes, (id, hash) => new AuditSealedEntry(id, hash)), document.Entries);
        Assert.Equal(["seals/000000000001.json"], await host.SealBlobNamesAsync());
    }

    [Fact]
    public async Task ASecondRunSealsNothingNewAndTheNextEntriesGoIntoTheNextSeal()
    {
        await using var host = await StartAsync();
        await host.WriteScenarioAsync();
        await host.SealAllAsync();

        var again = await host.Get<AuditSealer>().SealAsync(CancellationToken.None);
        await host.Trail().RecordAsync(Coordinator, Request("req-later"), AuditActions.CaseRead, CaseIds.New(), AuditOutcome.Missing, CancellationToken.None);
        var next = await host.SealAllAsync();

        Assert.Equal(new AuditSealRun(0, 0, 1, false), again);
        Assert.Equal(new AuditSealRun(1, 1, 2, false), next);
        var seals = await host.SealRowsAsync();
        Assert.Equal(["000000000001", "000000000002"], seals.Select(seal => seal.RowKey));
        Assert.Equal(seals[0].Hash, seals[1].PreviousHash);
        Assert.Equal(1, seals[1].Count);
        Assert.True((await host.VerifyAsync()).Clean);
    }

    [Fact]
    public async Task EntriesYoungerThanTheSettleDelayWait()
    {
        await using var host = await StartAsync();
        await host.Trail().RecordAsync(Coordinator, Request("req-1"), AuditActions.CaseRead, null, AuditOutcome.Refused, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromMinutes(4));
        await host.Trail().RecordAsync(Coordinator, Request("req-2"), AuditActions.CaseRead, null, AuditOutcome.Refused, CancellationToken.None);
        var sealer = host.Get<AuditSealer>();

        var atFourMinutes = await sealer.SealAsync(CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromMinutes(1));
        var atFiveMinutes = await sealer.SealAsync(CancellationToken.None); // the first is now exactly 5 minutes old: still waits
        host.Clock().Advance(TimeSpan.FromTicks(1));
        var justAfter = await sealer.SealAsync(CancellationToken.None);

        Assert.Equal(0, atFourMinutes.SealsWritten);
        Assert.Equal(0, atFiveMinutes.SealsWritten);
        Assert.Equal(new AuditSealRun(1, 1, 1, false), justAfter);
        var first = (await host.EntriesAsync()).First(entry => entry.RequestId == "req-1");
        Assert.Equal([first.RowKey], (await host.SealDocumentAsync(1)).Entries.Select(entry => entry.Id));
    }

    [Fact]
    public async Task ASealHoldsAtMostTheCapAndARunLoopsUntilCaughtUpAcrossDays()
    {
        // 23:59:58 UTC: the scenario's six entries fall on two days.
        await using var host = await StartAsync(entriesPerSeal: 4, start: new DateTimeOffset(2026, 11, 19, 23, 59, 58, TimeSpan.Zero));
        var scenario = await host.WriteScenarioAsync();

        var run = await host.SealAllAsync();

        Assert.Equal(new AuditSealRun(2, 6, 2, false), run);
        Assert.Equal(["20261119", "20261119", "20261120", "20261120", "20261120", "20261120"], (await host.EntriesAsync()).Select(entry => entry.PartitionKey));
        var seals = await host.SealRowsAsync();
        Assert.Equal([4, 2], seals.Select(seal => seal.Count));
        Assert.Equal(
            scenario.EntryIds,
            (await host.SealDocumentAsync(1)).Entries.Concat((await host.SealDocumentAsync(2)).Entries).Select(entry => entry.Id));
        Assert.Equal((AuditHashing.Genesis, seals[0].Hash), (seals[0].PreviousHash, seals[1].PreviousHash));
        Assert.True((await host.VerifyAsync()).Clean);
    }

    [Fact]
    public async Task RacingSealersWriteEachSealOnceAndSealEachEntryOnce()
    {
        await using var host = await StartAsync(entriesPerSeal: 2);
        for (var i = 0; i < 5; i++)
        {
            await host.WriteScenarioAsync(); // 30 entries
        }

        host.Clock().Advance(TimeSpan.FromMinutes(6));
        var options = host.Get<IOptions<AuditOptions>>();
        var sealers = Enumerable.Range(0, 4)
            .Select(_ => new AuditSealer(host.Get<AuditTables>(), new AuditIndexer(host.Get<AuditTables>()), options, host.Clock(), NullLogger<AuditSealer>.Instance))
            .ToList();

        var runs = await Task.WhenAll(sealers.Select(sealer => Task.Run(() => sealer.SealAsync(CancellationToken.None))));
        var finish = await sealers[0].SealAsync(CancellationToken.None); // whatever the losers left

        Assert.Equal(15, runs.Sum(run => run.SealsWritten) + finish.SealsWritten);
        var seals = await host.SealRowsAsync();
        Assert.Equal(Enumerable.Range(1, 15).Select(n => AuditSealEntity.Key(n)), seals.Select(seal => seal.RowKey));
        Assert.Equal(Enumerable.Range(1, 15).Select(n => AuditTables.SealBlobName(n)), await host.SealBlobNamesAsync());
        var sealedIds = new List<string>();
        for (var n = 1; n <= 15; n++)
        {
            sealedIds.AddRange((await host.SealDocumentAsync(n)).Entries.Select(entry => entry.Id));
        }

        Assert.Equal((await host.EntriesAsync()).Select(entry => entry.RowKey), sealedIds);
        Assert.True((await host.VerifyAsync()).Clean);
    }

    [Fact]
    public async Task ASealRowWithoutItsBlobGetsItsBlobFromTheNextRun()
    {
        await using var host = await StartAsync();
        await host.WriteScenarioAsync();
        host.Clock().Advance(TimeSpan.FromMinutes(6));
        // What a sealer that stopped after inserting the row leaves behind (it had indexed the entries first).
        var entries = await host.RawEntriesAsync();
        await host.Get<AuditIndexer>().IndexAsync(entries, CancellationToken.None);
        var (row, document) = AuditSealer.Seal(1, AuditHashing.Genesis, entries, host.Clock().GetUtcNow());
        await host.SealTable().AddEntityAsync(row);

        var run = await host.Get<AuditSealer>().SealAsync(CancellationToken.None);

        Assert.Equal(new AuditSealRun(0, 0, 1, false), run);
        Assert.Equal(document, await host.SealDocumentAsync(1) with { Entries = document.Entries });
        Assert.Equal(document.Entries, (await host.SealDocumentAsync(1)).Entries);
        Assert.True((await host.VerifyAsync()).Clean);
    }
}
