using System.Net;
using Azure.Data.Tables;
using Serverless.Cases.Storage;
using Serverless.Entries;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>
/// Report submission with the app's table writes cut after they reached Azurite (<see cref="Fault.CutAfterForwarding"/>):
/// storage stored the write, the app's storage client never got the answer, and the Azure SDK's own retry (the app
/// keeps its default: 3 retries, exponential from 0.8 s) sends it again. What the caller saw is compared with what
/// Azurite holds, read directly, not through the proxy.
/// </summary>
public sealed class AmbiguousReportTests(ITestOutputHelper output)
{
    private static bool IsInsertInto(ProxiedRequest request, string table)
        => request.Method == "POST" && request.Path.EndsWith("/" + table, StringComparison.Ordinal);

    private static bool IsBatch(ProxiedRequest request) => request.Method == "POST" && request.Path.EndsWith("/$batch", StringComparison.Ordinal);

    [Fact]
    public async Task AReportWithAKeyWhoseBatchIsCutAfterStorageStoredItIsStoredOnceAndItsRetryGetsTheSameReceipt()
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: faults.HostSettings);
        var caseId = await api.SharedCaseAsync();
        var cut = faults.Table.Add(new FaultRule("the report's batch", IsBatch, Fault.CutAfterForwarding));

        using var first = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "cut-batch-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        using var retry = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "cut-batch-1");
        var retryBody = await retry.Content.ReadAsStringAsync();
        var reports = await StoredReportsAsync(api, caseId);
        Print(faults, $"first: {(int)first.StatusCode} {firstBody}", $"retry: {(int)retry.StatusCode} {retryBody}", $"reports stored: {reports.Count}");

        Assert.Equal(1, cut.Applied);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(firstBody, retryBody);
        var report = Assert.Single(reports);
        Assert.Contains(report.EntryId, firstBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportWithAKeyWhoseInFlightMarkIsCutAfterStorageStoredItIsStoredOnceWithoutAFalseInFlightConflict()
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: faults.HostSettings);
        var caseId = await api.SharedCaseAsync();
        var table = api.Host.Names.Table(CaseStore.TableName);
        var cut = faults.Table.Add(new FaultRule("the key's in-flight mark", request => IsInsertInto(request, table), Fault.CutAfterForwarding));

        using var first = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "cut-mark-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        using var retry = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "cut-mark-1");
        var retryBody = await retry.Content.ReadAsStringAsync();
        var reports = await StoredReportsAsync(api, caseId);
        Print(faults, $"first: {(int)first.StatusCode} {firstBody}", $"retry: {(int)retry.StatusCode} {retryBody}", $"reports stored: {reports.Count}");

        // The SDK's retry of the mark meets the mark it wrote itself (409). Taken for another attempt's, the caller was told
        // 409 idempotency-key-in-flight for the next 30 s although nothing else held the key.
        Assert.Equal(1, cut.Applied);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(firstBody, retryBody);
        Assert.Single(reports);
    }

    [Fact]
    public async Task AReportWithoutAKeyWhoseBatchIsCutAfterStorageStoredItIsAnsweredCreatedAndStoredOnce()
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: faults.HostSettings);
        var caseId = await api.SharedCaseAsync();
        var cut = faults.Table.Add(new FaultRule("the report's batch", IsBatch, Fault.CutAfterForwarding));

        using var response = await api.SubmitReportAsync(caseId, Report(), Teacher);
        var body = await response.Content.ReadAsStringAsync();
        var reports = await StoredReportsAsync(api, caseId);
        Print(faults, $"answer: {(int)response.StatusCode} {body}", $"reports stored: {reports.Count}");

        // The SDK's retry of the batch meets its own entry (409). Taken for a collision, that was a 500 with the report stored:
        // a caller without a key would send it again and store it twice.
        Assert.Equal(1, cut.Applied);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = Assert.Single(reports);
        Assert.Contains(report.EntryId, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Fault.Drop)]
    [InlineData(Fault.Reset)]
    [InlineData(Fault.Delay)]
    public async Task AReportWhoseBatchIsDroppedResetOrDelayedBeforeStorageSawItIsStoredOnceByTheSdksRetry(Fault fault)
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: faults.HostSettings);
        var caseId = await api.SharedCaseAsync();
        var rule = faults.Table.Add(new FaultRule($"the report's batch ({fault})", IsBatch, fault, delayMs: 1500));

        using var response = await api.SubmitReportAsync(caseId, Report(), Teacher);
        var body = await response.Content.ReadAsStringAsync();
        var reports = await StoredReportsAsync(api, caseId);
        Print(faults, $"answer: {(int)response.StatusCode} {body}", $"reports stored: {reports.Count}");

        Assert.Equal(1, rule.Applied);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = Assert.Single(reports);
        Assert.Contains(report.EntryId, body, StringComparison.Ordinal);
    }

    /// <summary>The case's report heads as Azurite holds them, read directly.</summary>
    private static async Task<List<StoredEntry>> StoredReportsAsync(CaseApi api, string caseId)
    {
        var table = TestStorage.Clients(api.Host.Prefix).Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName));
        var heads = new List<StoredEntry>();
        await foreach (var row in table.QueryAsync<EntryEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")))
        {
            if (row.RowKey.StartsWith(EntryEntity.TimelinePrefix, StringComparison.Ordinal) && EntryRows.From(row).Type == EntryType.Report)
            {
                heads.Add(EntryRows.From(row));
            }
        }

        return heads;
    }

    private void Print(StorageFaults faults, params string[] outcome)
    {
        foreach (var line in outcome.Append(faults.Report()))
        {
            output.WriteLine(line);
        }
    }
}
