using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Audit.Integration;

/// <summary>Reads what the app wrote to the audit trail for a request, by the request id it answered with.</summary>
internal static class AuditedRequests
{
    public static string RequestId(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues("X-Request-Id"));

    public static TableClient Log(TestHost host) => host.Storage.Tables.GetTableClient(host.Names.Table(AuditTables.LogTable));

    /// <summary>Every audit log entry carrying <paramref name="requestId"/>, intent first.</summary>
    public static async Task<List<AuditEntryEntity>> EntriesAsync(TestHost host, string requestId)
    {
        var entries = await Log(host).QueryAsync<AuditEntryEntity>(entry => entry.RequestId == requestId).ToListAsync();
        return [.. entries.OrderBy(entry => entry.Kind == AuditEntryKinds.Intent ? 0 : 1)];
    }

    public static async Task<List<AuditEntryEntity>> EntriesAsync(TestHost host, HttpResponseMessage response)
        => await EntriesAsync(host, RequestId(response));

    /// <summary>The intent and outcome pair of one request (and nothing else).</summary>
    public static async Task<(AuditEntryEntity Intent, AuditEntryEntity Outcome)> PairAsync(TestHost host, HttpResponseMessage response)
    {
        var entries = await EntriesAsync(host, response);
        Assert.Equal([AuditEntryKinds.Intent, AuditEntryKinds.Outcome], entries.Select(entry => entry.Kind));
        Assert.Equal(entries[0].RowKey, entries[1].IntentId);
        return (entries[0], entries[1]);
    }

    public static async Task<IReadOnlyList<AuditRecord>> ByCaseAsync(TestHost host, string caseId)
        => Assert.IsType<AuditQueryOutcome.Done>(await host.Get<AuditQuery>().ByCaseAsync(caseId, AuditQuery.MaxPageSize, null, CancellationToken.None)).Page.Entries;
}
