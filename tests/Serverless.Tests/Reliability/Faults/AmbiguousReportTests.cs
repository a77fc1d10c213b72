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

    [Fact]
    public async Task ACaseEditWhoseVersionBatchIsCutAfterStorageStoredItIsAnsweredOkOnceNotAFalseConflict()
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: faults.HostSettings);
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var cut = faults.Table.Add(new FaultRule("the edit's version batch", IsBatch, Fault.CutAfterForwarding));

        using var edit = await api.PatchAsync(caseId, "\"v1\"", "実務者会議で決定", new System.Text.Json.Nodes.JsonObject { ["notes"] = "切断後の変更" });
        var editBody = await edit.Content.ReadAsStringAsync();
        var table = TestStorage.Clients(api.Host.Prefix).Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName));
        var current = (await table.GetEntityAsync<CaseEntity>(caseId, CaseEntity.CurrentRow)).Value;
        var versions = new List<long>();
        await foreach (var row in table.QueryAsync<CaseEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {"v"} and RowKey lt {"w"}")))
        {
            versions.Add(row.Version);
        }

        Print(faults, $"edit: {(int)edit.StatusCode} {editBody}", $"current version: {current.Version}; version rows: {string.Join(",", versions.Order())}");

        // The SDK's retry of the batch meets the version row it stored itself (409). Taken for another writer's, the caller
        // was told 412 (someone changed the case) while its own change was saved: a retry with a fresh ETag would apply it twice.
        Assert.Equal(1, cut.Applied);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal("\"v2\"", CaseApi.ETag(edit));
        Assert.Equal(2, current.Version);
        Assert.Contains("切断後の変更", current.GetRecordJson(), StringComparison.Ordinal);
        Assert.Equal(new long[] { 1, 2 }, versions.Order());
    }

    [Fact]
    public async Task ACaseEditWhoseCurrentRowReplaceIsCutAfterStorageStoredItIsAnsweredOkOnce()
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: faults.HostSettings);
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var table = api.Host.Names.Table(CaseStore.TableName);
        // The second step of an edit: the current row replaced with If-Match (PUT .../Cases(PartitionKey='..',RowKey='c...')).
        var cut = faults.Table.Add(new FaultRule("the edit's If-Match replace", request => request.Method == "PUT" && request.Path.Contains("/" + table + "(", StringComparison.Ordinal), Fault.CutAfterForwarding));

        using var edit = await api.PatchAsync(caseId, "\"v1\"", "実務者会議で決定", new System.Text.Json.Nodes.JsonObject { ["notes"] = "置換の切断" });
        var editBody = await edit.Content.ReadAsStringAsync();
        var current = (await TestStorage.Clients(api.Host.Prefix).Tables.GetTableClient(table).GetEntityAsync<CaseEntity>(caseId, CaseEntity.CurrentRow)).Value;
        Print(faults, $"edit: {(int)edit.StatusCode} {editBody}", $"current version: {current.Version}");

        // The SDK's retry meets 412 on its own committed replace; the store rereads and finds its version current.
        Assert.Equal(1, cut.Applied);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal(2, current.Version);
    }

    [Theory]
    [InlineData("Cases")]
    [InlineData("FilePending")]
    public async Task AnUploadWhoseRowInsertIsCutAfterStorageStoredItIsAcceptedOnceWithOneRow(string cutTable)
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: faults.HostSettings);
        var caseId = await api.SharedCaseAsync();
        var table = api.Host.Names.Table(cutTable);
        var cut = faults.Table.Add(new FaultRule($"the upload's insert into {cutTable}", request => IsInsertInto(request, table), Fault.CutAfterForwarding));

        using var upload = await Serverless.Tests.Files.Api.FileApi.UploadAsync(api, caseId, Serverless.Tests.Files.TestPdfs.Letter(), "連絡票.pdf");
        var body = await upload.Content.ReadAsStringAsync();
        var cases = TestStorage.Clients(api.Host.Prefix).Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName));
        var rows = new List<string>();
        await foreach (var row in cases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {Serverless.Files.Storage.FileEntity.RowPrefix} and RowKey lt {"file."}")))
        {
            rows.Add(row.RowKey);
        }

        Print(faults, $"upload: {(int)upload.StatusCode} {body}", $"file rows: {string.Join(",", rows)}");

        // The SDK's retry of the insert meets the row it stored (409). Taken as a failure, the caller got a 500 for a file
        // that was stored (and would upload it again: two files).
        Assert.Equal(1, cut.Applied);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var fileRow = Assert.Single(rows);
        Assert.Contains(fileRow[Serverless.Files.Storage.FileEntity.RowPrefix.Length..], body, StringComparison.Ordinal);
    }

    /// <summary>The case's report heads as Azurite holds them, read directly.</summary>
    private static async Task<List<StoredEntry>> StoredReportsAsync(CaseApi api, string caseId)
    {
        var table = TestStorage.Clients(api.Host.Prefix).Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName));
        var heads = new List<StoredEntry>();
        // Timeline heads only ("t..."): the partition also holds the case's own rows, of another shape.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {EntryEntity.TimelinePrefix} and RowKey lt {"u"}");
        await foreach (var row in table.QueryAsync<EntryEntity>(filter))
        {
            if (EntryRows.From(row).Type == EntryType.Report)
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
