using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Cases.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>
/// Case creation with its batch (current row, version 1, the registration's timeline entry) cut after Azurite stored it:
/// the SDK's own retry meets the rows it stored. Found by the full benchmark, whose seeding on a loaded machine hit it
/// (a late answer, retried): the create threw 409 with the case stored.
/// </summary>
public sealed class AmbiguousCaseCreateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ACaseCreateWhoseBatchIsCutAfterStorageStoredItIsAnsweredCreatedWithOneCase()
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: faults.HostSettings);
        var cut = faults.Table.Add(new FaultRule("the create's batch", request => request.Method == "POST" && request.Path.EndsWith("/$batch", StringComparison.Ordinal), Fault.CutAfterForwarding));

        using var created = await api.CreateAsync(CaseApi.ValidRecord());
        var body = await created.Content.ReadAsStringAsync();
        var table = TestStorage.Clients(api.Host.Prefix).Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName));
        var currentRows = new List<CaseEntity>();
        await foreach (var row in table.QueryAsync<CaseEntity>(TableClient.CreateQueryFilter($"RowKey eq {CaseEntity.CurrentRow}")))
        {
            currentRows.Add(row);
        }

        output.WriteLine($"create: {(int)created.StatusCode} {body}");
        output.WriteLine($"current rows: {currentRows.Count}");
        output.WriteLine(faults.Report());

        // Before: 500 (the SDK's retry's 409 thrown) with the case stored; a caller's retry made a second case.
        Assert.Equal(1, cut.Applied);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var caseId = (string?)JsonNode.Parse(body)?["caseId"];
        var current = Assert.Single(currentRows);
        Assert.Equal(caseId, current.PartitionKey);
        Assert.Equal(1, current.Version);
    }
}
