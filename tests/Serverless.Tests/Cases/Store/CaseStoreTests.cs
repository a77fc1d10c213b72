using System.Text.Json;
using Azure.Data.Tables;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Cases.Search;
using Serverless.Cases.Storage;
using Serverless.DevHost;
using Serverless.Identity;
using Serverless.Tests.Infrastructure;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Tests.Cases.Store;

/// <summary>The versioned case store against Azurite: insert-only version rows, roll-forward, record chunks.</summary>
public sealed class CaseStoreTests
{
    private static readonly ChangeAuthor Sato = new("coordinator-sato", "midori-kodomo-ka");

    [Fact]
    public async Task AVersionRowLeftAheadByACrashedWriterIsRolledForwardByTheNextWriterAndNothingIsLost()
    {
        await using var host = await TestHost.StartAsync();
        var store = host.Get<CaseStore>();
        var caseId = CaseIds.New();
        var first = await store.CreateAsync(caseId, StoreFixture.Record("first notes"), Sato, reason: null, CancellationToken.None);
        var second = await store.UpdateAsync(first, StoreFixture.Record("second notes"), ["$.notes"], Sato, "second", CancellationToken.None);
        Assert.NotNull(second);

        // A writer saved version 3 and stopped before replacing the current row.
        var crashed = new ChangeAuthor("coordinator-crashed", "midori-kodomo-ka");
        await StoreFixture.PlantVersionAheadAsync(host, caseId, 3, StoreFixture.Record("the crashed writer's notes"), crashed, "crashed writer");
        Assert.Equal(2, (await store.GetAsync(caseId, CancellationToken.None))!.Version);

        var late = await store.UpdateAsync(second, StoreFixture.Record("the late writer's notes"), ["$.notes"], Sato, "late writer", CancellationToken.None);

        Assert.Null(late);
        var rolled = await store.GetAsync(caseId, CancellationToken.None);
        Assert.NotNull(rolled);
        Assert.Equal(3, rolled.Version);
        Assert.Equal("the crashed writer's notes", rolled.Record.Notes);
        Assert.Equal(first.CreatedAt, rolled.CreatedAt);

        var retried = await store.UpdateAsync(rolled, StoreFixture.Record("the late writer's notes"), ["$.notes"], Sato, "late writer, again", CancellationToken.None);

        Assert.NotNull(retried);
        Assert.Equal(4, retried.Version);
        var current = await store.GetAsync(caseId, CancellationToken.None);
        Assert.Equal(4, current!.Version);
        Assert.Equal("the late writer's notes", current.Record.Notes);
        var (versions, next) = await store.HistoryAsync(caseId, 10, null, CancellationToken.None);
        Assert.Null(next);
        Assert.Equal(
            new (long, string?, string?, string)[]
            {
                (4, "the late writer's notes", "late writer, again", "coordinator-sato"),
                (3, "the crashed writer's notes", "crashed writer", "coordinator-crashed"),
                (2, "second notes", "second", "coordinator-sato"),
                (1, "first notes", null, "coordinator-sato"),
            },
            versions.Select(version => (version.Version, version.Record.Notes, version.Reason, version.ChangedBy)));
    }

    [Fact]
    public async Task AnEditThatMeetsAVersionLeftAheadIsAnswered412NamingTheRolledForwardVersion()
    {
        await using var host = await TestHost.StartAsync();
        await host.SaveDemoAgenciesAsync();
        var service = host.Get<CaseService>();
        var created = Assert.IsType<CaseOutcome<CaseView>.Done>(await service.CreateAsync(StoreFixture.Coordinator, new CreateCaseRequest(StoreFixture.Record("first notes")), CancellationToken.None)).Value;
        await StoreFixture.PlantVersionAheadAsync(host, created.CaseId, 2, StoreFixture.Record("the crashed writer's notes"), Sato, "crashed writer");

        var outcome = await service.UpdateAsync(StoreFixture.Coordinator, created.CaseId, new ExpectedVersion(1), StoreFixture.Notes("late notes"), CancellationToken.None);

        Assert.Equal(new CaseOutcome<CaseView>.PreconditionFailed(2), outcome);
        var current = Assert.IsType<CaseOutcome<CaseView>.Done>(await service.GetAsync(StoreFixture.Coordinator, created.CaseId, CancellationToken.None)).Value;
        Assert.Equal(2, current.Version);
        Assert.Equal("the crashed writer's notes", current.Record.Notes);

        var retried = await service.UpdateAsync(StoreFixture.Coordinator, created.CaseId, new ExpectedVersion(2), StoreFixture.Notes("late notes"), CancellationToken.None);

        var saved = Assert.IsType<CaseOutcome<CaseView>.Done>(retried).Value;
        Assert.Equal(3, saved.Version);
        Assert.Equal("late notes", saved.Record.Notes);
    }

    [Fact]
    public async Task OfTwoStoresUpdatingFromTheSameStoredCaseExactlyOneSucceeds()
    {
        await using var host = await TestHost.StartAsync();
        var one = new CaseStore(host.Storage, host.Names, TimeProvider.System);
        var other = new CaseStore(host.Storage, host.Names, TimeProvider.System);
        var caseId = CaseIds.New();
        var basedOn = await one.CreateAsync(caseId, StoreFixture.Record("first notes"), Sato, reason: null, CancellationToken.None);

        var results = await Task.WhenAll(
            one.UpdateAsync(basedOn, StoreFixture.Record("one's notes"), ["$.notes"], Sato, "one", CancellationToken.None),
            other.UpdateAsync(basedOn, StoreFixture.Record("other's notes"), ["$.notes"], Sato, "other", CancellationToken.None));

        var winner = Assert.Single(results, result => result is not null)!;
        Assert.Single(results, result => result is null);
        Assert.Equal(2, winner.Version);
        var current = await one.GetAsync(caseId, CancellationToken.None);
        Assert.Equal(2, current!.Version);
        Assert.Equal(winner.Record.Notes, current.Record.Notes);
        Assert.Equal(winner.StorageETag, current.StorageETag);
        var (versions, _) = await one.HistoryAsync(caseId, 10, null, CancellationToken.None);
        Assert.Equal([2L, 1L], versions.Select(version => version.Version));
    }

    [Fact]
    public void RecordChunksNeverSplitASurrogatePairAtAChunkBoundary()
    {
        // 𠮷 (U+20BB7) is two UTF-16 units; its high half sits on the last place of the first chunk.
        var json = new string('a', RecordChunks.Size - 1) + "𠮷" + new string('b', 100);
        Assert.True(char.IsHighSurrogate(json[RecordChunks.Size - 1]));

        var chunks = RecordChunks.Split(json);

        Assert.Equal(new int?[] { RecordChunks.Size - 1, 102, null, null, null, null, null, null }, chunks.Select(chunk => chunk?.Length));
        Assert.StartsWith("𠮷", chunks[1], StringComparison.Ordinal);
        Assert.All(chunks.OfType<string>(), chunk => Assert.False(char.IsHighSurrogate(chunk[^1])));
        Assert.Equal(json, RecordChunks.Join(chunks));
    }

    [Fact]
    public void AStringOfMaxLengthFitsEvenWhenEveryChunkWouldEndInsideASurrogatePair()
    {
        // The worst case: every chunk gives back one character, so MaxLength is (Size - 1) * Count.
        var text = new char[RecordChunks.MaxLength];
        Array.Fill(text, 'a');
        for (var chunk = 1; chunk < RecordChunks.Count; chunk++)
        {
            var start = chunk * (RecordChunks.Size - 1);
            (text[start], text[start + 1]) = ('\uD842', '\uDFB7');
        }

        var json = new string(text);

        var chunks = RecordChunks.Split(json);

        Assert.Equal(Enumerable.Repeat<int?>(RecordChunks.Size - 1, RecordChunks.Count), chunks.Select(chunk => chunk?.Length));
        Assert.Equal(json, RecordChunks.Join(chunks));
        var tooLong = Assert.Throws<InvalidOperationException>(() => RecordChunks.Split(json + "a"));
        Assert.Equal($"A case record of {RecordChunks.MaxLength + 1} characters exceeds the stored maximum of {RecordChunks.MaxLength}.", tooLong.Message);
    }

    [Fact]
    public async Task ARecordOver30000CharactersIsStoredOverSeveralPropertiesAndRoundTripsExactly()
    {
        await using var host = await TestHost.StartAsync();
        await host.SaveDemoAgenciesAsync();
        // A valid record at its limits: names and readings full of 𠮷, notes of 𠮷野家.
        static string Yoshi(int count, int i) => string.Concat(Enumerable.Repeat("𠮷", count - 1)) + (char)('あ' + i);
        var record = StoreFixture.Record(string.Concat(Enumerable.Repeat("𠮷野家", CaseLimits.Notes / 3))) with
        {
            Household = [.. Enumerable.Range(0, CaseLimits.Household).Select(i => new HouseholdMember
            {
                Name = new PersonName { Family = Yoshi(CaseLimits.NamePart, i), Given = Yoshi(CaseLimits.NamePart, i), FamilyKana = Yoshi(CaseLimits.Kana, i), GivenKana = Yoshi(CaseLimits.Kana, i) },
                Relationship = Relationship.OtherRelative,
            })],
        };
        var json = CaseStore.Serialize(record);
        Assert.InRange(json.Length, (2 * RecordChunks.Size) + 1, RecordChunks.MaxLength);
        // Storage JSON escapes characters outside the BMP (𠮷 is written \uD842\uDFB7), so no raw
        // surrogate ever reaches the chunker from a record; the chunker's guard is for raw strings.
        Assert.DoesNotContain(json, char.IsSurrogate);

        var outcome = await host.Get<CaseService>().CreateAsync(StoreFixture.Coordinator, new CreateCaseRequest(record), CancellationToken.None);

        var caseId = Assert.IsType<CaseOutcome<CaseView>.Done>(outcome).Value.CaseId;
        var table = host.Storage.Tables.GetTableClient(host.Names.Table(CaseStore.TableName));
        var row = (await table.GetEntityAsync<CaseEntity>(caseId, CaseEntity.CurrentRow)).Value;
        var stored = new[] { row.Record0, row.Record1, row.Record2, row.Record3, row.Record4, row.Record5, row.Record6, row.Record7 };
        Assert.Equal(RecordChunks.Split(json), stored);
        Assert.Equal(RecordChunks.Size, stored[0]!.Length);
        Assert.NotNull(stored[2]);
        var version = (await table.GetEntityAsync<CaseEntity>(caseId, CaseEntity.VersionRow(1))).Value;
        Assert.Equal(json, version.GetRecordJson());

        var read = await host.Get<CaseStore>().GetAsync(caseId, CancellationToken.None);
        Assert.Equal(json, CaseStore.Serialize(read!.Record));
        Assert.Equal(record.Notes, read.Record.Notes);
        Assert.Equal(record.Household.Select(member => member.Name.Family + member.Name.Given), read.Record.Household.Select(member => member.Name.Family + member.Name.Given));
    }

    [Fact]
    public async Task ARecordWhoseJsonExceedsTheStoredMaximumIsRefusedByValidationAndNothingIsWritten()
    {
        // The per-field limits count characters as a person sees them, so they do not bound the JSON:
        // one "character" may carry any number of combining marks. The whole-record check does.
        await using var host = await TestHost.StartAsync();
        await host.SaveDemoAgenciesAsync();
        var record = StoreFixture.Record("e" + new string('\u0301', RecordChunks.MaxLength));

        var outcome = await host.Get<CaseService>().CreateAsync(StoreFixture.Coordinator, new CreateCaseRequest(record), CancellationToken.None);

        var error = Assert.Single(Assert.IsType<CaseOutcome<CaseView>.Invalid>(outcome).Errors);
        StoreFixture.AssertTooLong(error, "$.record");
        foreach (var table in new[] { CaseStore.TableName, CaseIndex.TableName, ChildIndex.TableName })
        {
            Assert.Empty(await StoreFixture.RowsAsync(host, table));
        }
    }

    [Fact]
    public async Task AChangeThatWouldTakeTheRecordJsonPastTheStoredMaximumIsRefusedByValidation()
    {
        await using var host = await TestHost.StartAsync();
        await host.SaveDemoAgenciesAsync();
        var service = host.Get<CaseService>();
        var caseId = Assert.IsType<CaseOutcome<CaseView>.Done>(await service.CreateAsync(StoreFixture.Coordinator, new CreateCaseRequest(StoreFixture.Record("first notes")), CancellationToken.None)).Value.CaseId;

        var outcome = await service.UpdateAsync(StoreFixture.Coordinator, caseId, new ExpectedVersion(1), StoreFixture.Notes("e" + new string('\u0301', RecordChunks.MaxLength)), CancellationToken.None);

        StoreFixture.AssertTooLong(Assert.Single(Assert.IsType<CaseOutcome<CaseView>.Invalid>(outcome).Errors), "$.changes");
        var current = await host.Get<CaseStore>().GetAsync(caseId, CancellationToken.None);
        Assert.Equal(1, current!.Version);
        Assert.Equal("first notes", current.Record.Notes);
    }
}

file static class StoreFixture
{
    public static readonly Caller Coordinator = new("coordinator-sato", "midori-kodomo-ka", CallerRole.Coordinator);

    public static CaseRecord Record(string notes) => new()
    {
        Category = CaseCategory.RequiringSupport,
        Child = new Person
        {
            Name = new PersonName { Family = "柏木", Given = "蒼", FamilyKana = "カシワギ", GivenKana = "アオイ" },
            BirthDate = JapanTime.Today(TimeProvider.System).AddYears(-6),
        },
        LeadAgencyId = "midori-kodomo-ka",
        Notes = notes,
    };

    public static UpdateCaseRequest Notes(string notes) => new("notes corrected", new System.Text.Json.Nodes.JsonObject { ["notes"] = notes });

    /// <summary>What a writer that stopped between its two steps leaves: the version row, and the current row untouched.</summary>
    public static async Task PlantVersionAheadAsync(TestHost host, string caseId, long version, CaseRecord record, ChangeAuthor author, string reason)
    {
        var current = await host.Get<CaseStore>().GetAsync(caseId, CancellationToken.None);
        var row = new CaseEntity
        {
            PartitionKey = caseId,
            RowKey = CaseEntity.VersionRow(version),
            Version = version,
            CreatedAt = current!.CreatedAt,
            ChangedAt = DateTimeOffset.UtcNow,
            ChangedBy = author.CallerId,
            ChangedByAgency = author.AgencyId,
            Reason = reason,
            ChangedFields = JsonSerializer.Serialize(new[] { "$.notes" }),
        };
        row.SetRecordJson(CaseStore.Serialize(record));
        await host.Storage.Tables.GetTableClient(host.Names.Table(CaseStore.TableName)).AddEntityAsync(row);
    }

    /// <summary>The whole record is too long: reported on the record as the request names it.</summary>
    public static void AssertTooLong(ValidationError error, string field)
    {
        Assert.Equal(field, error.Field);
        Assert.Equal(FieldRules.TooLong, error.Code);
        Assert.Equal([new KeyValuePair<string, string>("max", "239992")], error.Arguments!);
    }

    public static async Task<List<TableEntity>> RowsAsync(TestHost host, string table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in host.Storage.Tables.GetTableClient(host.Names.Table(table)).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }
}
