using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Audit.AuditTestHost;

namespace Serverless.Tests.Audit;

/// <summary>
/// The verifier against Azurite: clean after sealing, then each kind of tampering on its own, each
/// reported as exactly the finding it is. Azurite has no immutability policies, so here the WORM copies
/// can be changed too; in Azure the container's version-level immutability prevents that.
/// </summary>
public sealed class AuditVerifierTests
{
    [Fact]
    public async Task ASealedTrailVerifiesClean()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        await SealedScenarioAsync(host);

        var report = await host.VerifyAsync();

        Assert.Equal(new AuditVerificationReport(2, 6, 0, []), report with { Findings = [] });
        Assert.Empty(report.Findings);
        Assert.True(report.Clean);
    }

    [Fact]
    public async Task AnEditedPropertyOfASealedEntryIsReportedAsEdited()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        var entry = await EntryAsync(host, scenario.ReadIntent);
        entry["ClientAddress"] = "198.51.100.1";
        await host.LogTable().UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace);

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.Edited, 1, scenario.ReadIntent, "the stored entry no longer gives its sealed hash")], report.Findings);
    }

    [Fact]
    public async Task AnAddedPropertyIsAnEditToo()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        var entry = await EntryAsync(host, scenario.SignInEvent);
        entry["Note"] = "added later";
        await host.LogTable().UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Merge);

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.Edited, 2, scenario.SignInEvent, "the stored entry no longer gives its sealed hash")], report.Findings);
    }

    [Fact]
    public async Task ADeletedSealedEntryIsReportedAsDeleted()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        await DeleteAsync(host, scenario.ListIntent);

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.Deleted, 1, scenario.ListIntent, "the sealed entry is missing")], report.Findings);
    }

    [Fact]
    public async Task AnEntryPlantedInsideASealedRangeIsReportedAsInserted()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        var at = Start.AddSeconds(1.5);
        var planted = new AuditEntryEntity
        {
            PartitionKey = AuditEntryIds.Day(at),
            RowKey = AuditEntryIds.New(at),
            Kind = AuditEntryKinds.Event,
            At = at,
            ActorKind = "System",
            Action = AuditActions.SignIn,
            Outcome = "Succeeded",
            RequestId = "planted",
        };
        await host.LogTable().AddEntityAsync(planted);

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.Inserted, 1, planted.RowKey, "the entry lies in seal 1's range but the seal does not list it")], report.Findings);
        Assert.True(string.CompareOrdinal(scenario.ReadOutcome, planted.RowKey) < 0 && string.CompareOrdinal(planted.RowKey, scenario.ListIntent) < 0);
    }

    [Fact]
    public async Task ARowWhoseKeysAreNotAnEntryIdIsReportedAsInserted()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        await SealedScenarioAsync(host);
        // Row keys that do not start with ticks sort outside every range the verifier reads by id.
        await host.LogTable().AddEntityAsync(new Azure.Data.Tables.TableEntity("20261120", "zzz-planted") { ["Kind"] = "event" });
        await host.LogTable().AddEntityAsync(new Azure.Data.Tables.TableEntity("20261120", "鳥居ひかり") { ["Kind"] = "event" });

        var report = await host.VerifyAsync();

        Assert.Equal(
            [
                new AuditFinding(AuditFindingKinds.Inserted, null, null, "a row whose keys are not an audit entry id (keys not shown)"),
                new AuditFinding(AuditFindingKinds.Inserted, null, "zzz-planted", "a row in partition 20261120 whose keys are not an audit entry id in its own day"),
            ],
            report.Findings);
    }

    [Fact]
    public async Task TwoSealedEntriesWithSwappedContentsAreReportedAsReordered()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        var first = await EntryAsync(host, scenario.ReadIntent);
        var second = await EntryAsync(host, scenario.ListIntent);
        await host.LogTable().UpdateEntityAsync(WithKeysOf(second, first), first.ETag, TableUpdateMode.Replace);
        await host.LogTable().UpdateEntityAsync(WithKeysOf(first, second), second.ETag, TableUpdateMode.Replace);

        var report = await host.VerifyAsync();

        Assert.Equal(
            [
                new AuditFinding(AuditFindingKinds.Reordered, 1, scenario.ReadIntent, $"the sealed content of this entry is now stored as entry {scenario.ListIntent}"),
                new AuditFinding(AuditFindingKinds.Reordered, 1, scenario.ListIntent, $"the sealed content of this entry is now stored as entry {scenario.ReadIntent}"),
            ],
            report.Findings);
    }

    [Fact]
    public async Task ASealedEntryMovedToAnotherIdIsReportedAsReordered()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        var entry = await EntryAsync(host, scenario.SignInEvent);
        // One tick earlier: the same content, now before its place in the sealed order.
        var ticks = long.Parse(scenario.SignInEvent[..19], CultureInfo.InvariantCulture) - 1;
        var movedId = ticks.ToString("D19", CultureInfo.InvariantCulture) + scenario.SignInEvent[19..];
        await DeleteAsync(host, scenario.SignInEvent);
        await host.LogTable().AddEntityAsync(WithKeys(entry, entry.PartitionKey, movedId));

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.Reordered, 2, scenario.SignInEvent, $"the sealed content of this entry is now stored as entry {movedId}")], report.Findings);
    }

    [Fact]
    public async Task ASealedEntryMovedPastTheLastSealIsReportedAsReordered()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        var entry = await EntryAsync(host, scenario.ReadIntent);
        // Later than everything sealed (but settled): the tail of unsealed entries holds it now.
        var movedId = (long.Parse(scenario.SignInEvent[..19], CultureInfo.InvariantCulture) + 1).ToString("D19", CultureInfo.InvariantCulture) + scenario.ReadIntent[19..];
        await DeleteAsync(host, scenario.ReadIntent);
        await host.LogTable().AddEntityAsync(WithKeys(entry, AuditEntryIds.DayOf(movedId)!, movedId));

        var report = await host.VerifyAsync();

        // Its outcome names the intent's old id, so the moved intent is also one no outcome answers.
        Assert.Equal(
            [
                new AuditFinding(AuditFindingKinds.Reordered, 1, scenario.ReadIntent, $"the sealed content of this entry is now stored as entry {movedId}"),
                new AuditFinding(AuditFindingKinds.IntentWithoutOutcome, null, movedId, "no outcome entry answers this intent"),
            ],
            report.Findings);
        Assert.Equal(1, report.UnsealedEntries);
    }

    [Fact]
    public async Task AnEditedSealRowBreaksTheChain()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        await SealedScenarioAsync(host);
        var seal = await host.SealTable().GetEntityAsync<AuditSealEntity>(AuditSealEntity.Partition, AuditSealEntity.Key(1));
        seal.Value.Hash = new string('a', 64);
        await host.SealTable().UpdateEntityAsync(seal.Value, seal.Value.ETag, TableUpdateMode.Replace);

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.ChainBroken, 1, null, "the seal row's Hash differs from its WORM copy")], report.Findings);
    }

    [Fact]
    public async Task ADeletedSealRowBreaksTheChainTwice()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        await SealedScenarioAsync(host);
        await host.SealTable().DeleteEntityAsync(AuditSealEntity.Partition, AuditSealEntity.Key(1), ETag.All);

        var report = await host.VerifyAsync();

        Assert.Equal(
            [
                new AuditFinding(AuditFindingKinds.ChainBroken, 1, null, "a WORM copy exists for a seal the table does not have"),
                new AuditFinding(AuditFindingKinds.ChainBroken, 2, null, "seal numbers jump from 0 to 2"),
            ],
            report.Findings);
    }

    [Fact]
    public async Task AWormCopyThatNoLongerMatchesItsContentsBreaksTheChain()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        // Possible on Azurite only: in Azure the blob version is immutable.
        var document = await host.SealDocumentAsync(2);
        var rewritten = document with { Entries = [document.Entries[0], document.Entries[1] with { Hash = new string('b', 64) }] };
        await host.SealContainer().GetBlobClient(AuditTables.SealBlobName(2)).UploadAsync(rewritten.ToBinary(), overwrite: true);

        var report = await host.VerifyAsync();

        Assert.Equal(
            [
                new AuditFinding(AuditFindingKinds.ChainBroken, 2, null, "the WORM copy's hash does not match its contents"),
                new AuditFinding(AuditFindingKinds.Edited, 2, scenario.SignInEvent, "the stored entry no longer gives its sealed hash"),
            ],
            report.Findings);
    }

    [Fact]
    public async Task ADeletedIndexRowIsReportedAsIndexMissing()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        await host.ByCaseTable().DeleteEntityAsync(scenario.CaseC, scenario.KeyEvent, ETag.All);

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.IndexMissing, 2, scenario.KeyEvent, $"no AuditByCase row for case {scenario.CaseC}")], report.Findings);
    }

    [Fact]
    public async Task AnIndexRowThatSaysSomethingElseIsReportedAsIndexMismatch()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        var scenario = await SealedScenarioAsync(host);
        var row = (await host.ByCaseTable().GetEntityAsync<AuditByCaseEntity>(scenario.CaseB, scenario.ListOutcome)).Value;
        row.ActorId = "p-someone-else";
        await host.ByCaseTable().UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.IndexMismatch, 1, scenario.ListOutcome, $"the AuditByCase row for case {scenario.CaseB} differs in ActorId")], report.Findings);
    }

    [Fact]
    public async Task AnIntentWithoutAnOutcomeIsReportedOnceOlderThanTheSettleDelay()
    {
        await using var host = await StartAsync();
        var intent = await host.Trail().BeginAsync(Coordinator, Request("req-crashed"), AuditActions.CaseUpdate, Serverless.Cases.CaseIds.New(), null, false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromMinutes(4));
        var young = await host.VerifyAsync();
        host.Clock().Advance(TimeSpan.FromMinutes(2));

        var unsealed = await host.VerifyAsync();
        await host.Get<AuditSealer>().SealAsync(CancellationToken.None);
        var sealedReport = await host.VerifyAsync();

        Assert.Equal(new AuditVerificationReport(0, 0, 0, []), young with { Findings = [] });
        Assert.Empty(young.Findings);
        Assert.Equal([new AuditFinding(AuditFindingKinds.IntentWithoutOutcome, null, intent.EntryId, "no outcome entry answers this intent")], unsealed.Findings);
        Assert.Equal(1, unsealed.UnsealedEntries);
        Assert.Equal([new AuditFinding(AuditFindingKinds.IntentWithoutOutcome, 1, intent.EntryId, "no outcome entry answers this intent")], sealedReport.Findings);
    }

    [Fact]
    public async Task ASlowRequestsOutcomeYoungerThanTheSettleDelayStillAnswersItsIntent()
    {
        await using var host = await StartAsync();
        var intent = await host.Trail().BeginAsync(Coordinator, Request("req-slow"), AuditActions.CaseSearch, null, null, false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromMinutes(5.5));
        await host.Trail().CompleteAsync(intent, Coordinator, AuditOutcome.Succeeded, [], false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromMinutes(1));

        var report = await host.VerifyAsync();

        Assert.Empty(report.Findings);
        Assert.Equal(1, report.UnsealedEntries);
    }

    /// <summary>The scenario's six entries, sealed four and two (the host seals at most four per seal).</summary>
    private static async Task<Scenario> SealedScenarioAsync(TestHost host)
    {
        var scenario = await host.WriteScenarioAsync();
        Assert.Equal(new AuditSealRun(2, 6, 2, false), await host.SealAllAsync());
        return scenario;
    }

    private static async Task<TableEntity> EntryAsync(TestHost host, string entryId)
        => (await host.LogTable().GetEntityAsync<TableEntity>(AuditEntryIds.DayOf(entryId), entryId)).Value;

    private static Task DeleteAsync(TestHost host, string entryId)
        => host.LogTable().DeleteEntityAsync(AuditEntryIds.DayOf(entryId), entryId, ETag.All);

    private static TableEntity WithKeysOf(TableEntity content, TableEntity keys) => WithKeys(content, keys.PartitionKey, keys.RowKey);

    private static TableEntity WithKeys(TableEntity content, string partitionKey, string rowKey)
    {
        var copy = new TableEntity(partitionKey, rowKey);
        foreach (var (name, value) in content.Where(pair => pair.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
        {
            copy[name] = value;
        }

        return copy;
    }
}
