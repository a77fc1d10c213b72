using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serverless.Audit;
using Serverless.Tests.Audit;
using Serverless.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>
/// The audit sealer (the <c>AuditSeal</c> timer's work) with each of its writes cut after storage did it, or reset
/// before storage saw it: the seal row's insert, the WORM blob's create-only upload, the head hint's upsert, a by-case
/// index row's upsert. Six entries, four to a seal: one run writes seals 1 and 2. The SDK's retry meets its own write
/// (409 on the row insert, 409/412 on the create-only blob); when every try is cut the run throws and the next run
/// (the timer's next tick) must finish the chain. Then the existing verifier must find it whole: every entry sealed
/// once, in order, each seal's blob equal to its row, no seal doubled or skipped.
/// </summary>
public sealed class AmbiguousAuditSealTests(ITestOutputHelper output)
{
    public enum Write
    {
        /// <summary>Seal 1's row: <c>POST .../AuditSeals</c> (an insert: of two racing sealers, one writes N).</summary>
        SealRow,

        /// <summary>Seal 1's WORM copy: <c>PUT .../audit-seals/seals/000000000001.json</c> with <c>If-None-Match: *</c>.</summary>
        SealBlob,

        /// <summary>The head hint: <c>PUT .../AuditSeals(PartitionKey='head',RowKey='head')</c>.</summary>
        Head,

        /// <summary>A by-case index row, written before its entry is sealed: <c>PUT .../AuditByCase(...)</c>.</summary>
        IndexRow,
    }

    [Theory]
    [InlineData(Write.SealRow, Fault.CutAfterForwarding)]
    [InlineData(Write.SealRow, Fault.Reset)]
    [InlineData(Write.SealBlob, Fault.CutAfterForwarding)]
    [InlineData(Write.Head, Fault.CutAfterForwarding)]
    [InlineData(Write.IndexRow, Fault.CutAfterForwarding)]
    public async Task ASealRunWhoseWriteIsCutOrLostOnceWritesEachSealOnceAndTheChainVerifies(Write write, Fault fault)
    {
        await using var faults = StorageFaults.Start();
        await using var host = await StartAsync(faults);
        var scenario = await host.WriteScenarioAsync();
        var rule = Add(faults, host, write, fault, times: 1);

        host.Clock().Advance(TimeSpan.FromMinutes(6));
        var run = await host.Get<AuditSealer>().SealAsync(CancellationToken.None);
        var blobsAfterRun = await BlobNamesAsync(host);
        var again = await host.Get<AuditSealer>().SealAsync(CancellationToken.None);
        var report = await host.VerifyAsync();
        var (rows, sealedIds) = await ChainAsync(host);
        Print(faults, $"run: {run}", $"blobs after it: {string.Join(",", blobsAfterRun)}", $"next run: {again}", $"seal rows: {string.Join(",", rows)}", $"verifier: {Describe(report)}");

        // The SDK's retry of seal 1's row meets the row it stored (409). Taken for another sealer's, the run stopped as a
        // lost race: seal 1's blob unwritten until the next tick, seal 2 not written, the run reporting nothing sealed.
        Assert.Equal(1, rule.Applied);
        Assert.Equal(new AuditSealRun(SealsWritten: 2, EntriesSealed: 6, LastSealNumber: 2, LostRace: false), run);
        Assert.Equal([AuditTables.SealBlobName(1), AuditTables.SealBlobName(2)], blobsAfterRun);
        Assert.Equal(new AuditSealRun(0, 0, 2, false), again);
        AssertWhole(scenario, report, rows, sealedIds);
    }

    [Theory]
    [InlineData(Write.SealRow)]
    [InlineData(Write.SealBlob)]
    public async Task ASealRunThatGivesUpOnACutWriteIsFinishedByTheNextRunWithTheChainWhole(Write write)
    {
        await using var faults = StorageFaults.Start();
        await using var host = await StartAsync(faults);
        var scenario = await host.WriteScenarioAsync();
        // Every one of the SDK's tries cut (tables: 1 + 3 retries; blobs: 1 + 5): storage has the write, the run throws,
        // as a sealer that died after it.
        var tries = write == Write.SealBlob ? 6 : 4;
        var rule = Add(faults, host, write, Fault.CutAfterForwarding, times: tries);

        host.Clock().Advance(TimeSpan.FromMinutes(6));
        var failure = await Record.ExceptionAsync(() => host.Get<AuditSealer>().SealAsync(CancellationToken.None));
        var next = await host.Get<AuditSealer>().SealAsync(CancellationToken.None);
        var report = await host.VerifyAsync();
        var (rows, sealedIds) = await ChainAsync(host);
        Print(faults, $"run: threw {failure?.GetType().Name}", $"next run: {next}", $"seal rows: {string.Join(",", rows)}", $"verifier: {Describe(report)}");

        // The next run finds seal 1's row, writes its missing blob from the same entries, and seals the rest as seal 2:
        // nothing sealed twice (a second seal 1 over the same entries), nothing skipped (seal 2 starting past them).
        Assert.Equal(tries, rule.Applied);
        Assert.NotNull(failure);
        Assert.Equal(new AuditSealRun(SealsWritten: 1, EntriesSealed: 2, LastSealNumber: 2, LostRace: false), next);
        AssertWhole(scenario, report, rows, sealedIds);
    }

    private static void AssertWhole(AuditTestHost.Scenario scenario, AuditVerificationReport report, List<string> rows, List<string> sealedIds)
    {
        Assert.True(report.Clean, Describe(report));
        Assert.Equal((2L, 6L, 0L), (report.Seals, report.SealedEntries, report.UnsealedEntries));
        Assert.Equal([AuditSealEntity.Key(1), AuditSealEntity.Key(2)], rows);
        Assert.Equal(scenario.EntryIds, sealedIds);
    }

    /// <summary>A host on the audit tests' fake clock, four entries to a seal, its storage behind the proxies.</summary>
    private static Task<TestHost> StartAsync(StorageFaults faults)
        => TestHost.StartAsync(
            clock: new FakeTimeProvider(AuditTestHost.Start),
            settings: faults.HostSettings,
            services: services => services.Configure<AuditOptions>(options => options.EntriesPerSeal = 4));

    private static FaultRule Add(StorageFaults faults, TestHost host, Write write, Fault fault, int times)
    {
        var seals = host.Names.Table(AuditTables.SealTable);
        var byCase = host.Names.Table(AuditTables.ByCaseTable);
        var firstBlob = "/" + host.Names.Container(AuditTables.SealContainer) + "/" + AuditTables.SealBlobName(1);
        Func<ProxiedRequest, bool> matches = write switch
        {
            Write.SealRow => request => request.Method == "POST" && request.Path.EndsWith("/" + seals, StringComparison.Ordinal),
            Write.SealBlob => request => request.Method == "PUT" && request.Path.EndsWith(firstBlob, StringComparison.Ordinal),
            Write.Head => request => request.Method == "PUT" && request.Path.Contains($"/{seals}(PartitionKey='{AuditSealHeadEntity.Key}',RowKey='{AuditSealHeadEntity.Key}')", StringComparison.Ordinal),
            Write.IndexRow => request => request.Method == "PUT" && request.Path.Contains("/" + byCase + "(", StringComparison.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(write)),
        };
        return (write == Write.SealBlob ? faults.Blob : faults.Table).Add(new FaultRule($"the sealer's {write} ({fault} x{times})", matches, fault, times));
    }

    /// <summary>The seal rows and, in chain order, every entry id their blobs list, read from Azurite directly.</summary>
    private static async Task<(List<string> Rows, List<string> SealedIds)> ChainAsync(TestHost host)
    {
        var clients = TestStorage.Clients(host.Prefix);
        var rows = new List<string>();
        await foreach (var row in clients.Tables.GetTableClient(host.Names.Table(AuditTables.SealTable)).QueryAsync<AuditSealEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AuditSealEntity.Partition}")))
        {
            rows.Add(row.RowKey);
        }

        var container = clients.Blobs.GetBlobContainerClient(host.Names.Container(AuditTables.SealContainer));
        var sealedIds = new List<string>();
        foreach (var number in Enumerable.Range(1, rows.Count))
        {
            var blob = container.GetBlobClient(AuditTables.SealBlobName(number));
            if ((await blob.ExistsAsync()).Value)
            {
                sealedIds.AddRange(AuditSealDocument.Parse((await blob.DownloadContentAsync()).Value.Content)!.Entries.Select(entry => entry.Id));
            }
        }

        return (rows, sealedIds);
    }

    private static async Task<List<string>> BlobNamesAsync(TestHost host)
    {
        var container = TestStorage.Clients(host.Prefix).Blobs.GetBlobContainerClient(host.Names.Container(AuditTables.SealContainer));
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static string Describe(AuditVerificationReport report)
        => $"{report.Seals} seals, {report.SealedEntries} sealed, {report.UnsealedEntries} unsealed; findings: {string.Join("; ", report.Findings.Select(finding => $"{finding.Kind} {finding.SealNumber} {finding.Detail}"))}";

    private void Print(StorageFaults faults, params string[] outcome)
    {
        foreach (var line in outcome.Append(faults.Report()))
        {
            output.WriteLine(line);
        }
    }
}
