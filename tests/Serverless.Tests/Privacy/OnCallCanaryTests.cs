using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.DevHost;
using Serverless.OnCall;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Privacy;

/// <summary>
/// An on-call exception's note is a coordinator's words and may name someone ("鳥居さんの代理"). Through every
/// on-call endpoint, saved, refused or read, it may be stored only in the OnCall row's schedule, and reaches no log
/// line, key, queue message, blob or audit entry; nor does a name typed where a person id belongs.
/// </summary>
public sealed class OnCallCanaryTests
{
    [Fact]
    public async Task ANoteAndANameInPlaceOfAPersonIdReachNoLogKeyQueueBlobOrAuditEntry()
    {
        await using var api = await CaseApi.StartAsync();
        var canary = new PersonalDataCanary();
        var coordinator = DemoPeople.PersonId("coordinator-sato");
        JsonObject Schedule(string note, string personId) => new()
        {
            ["weekly"] = new JsonArray(),
            ["exceptions"] = new JsonArray(new JsonObject { ["date"] = "2025-06-20", ["personIds"] = new JsonArray(personId), ["note"] = note }),
        };

        using var saved = await api.SendAsync(HttpMethod.Put, "api/on-call", "coordinator-sato", CaseApi.Json(Schedule(canary.FamilyName + "さんの代理", coordinator)));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        using var refused = await api.SendAsync(HttpMethod.Put, "api/on-call", "coordinator-sato", CaseApi.Json(Schedule(canary.ReportText + new string('長', 200), canary.KanaName)), request => request.Headers.TryAddWithoutValidation("If-Match", "\"v1\""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var forbidden = await api.SendAsync(HttpMethod.Put, "api/on-call", "teacher-tanaka", CaseApi.Json(Schedule(canary.Address, coordinator)));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var read = await api.SendAsync(HttpMethod.Get, "api/on-call", "coordinator-mori");
        Assert.Contains(canary.FamilyName, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        (await api.Host.Get<OnCallService>().RecipientsAtAsync(CaseApi.Now, CancellationToken.None)).ToList();

        Assert.Empty(await canary.FindLeaksAsync(api.Host));
        Assert.Equal([$"{OnCallStore.TableName} {OnCallEntity.Partition}/{OnCallEntity.Row} Schedule0"], await PropertiesHoldingAsync(api.Host, canary.Values));
    }

    private static async Task<List<string>> PropertiesHoldingAsync(TestHost host, IReadOnlyList<string> values)
    {
        var found = new List<string>();
        await foreach (var table in host.Storage.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(host.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var entity in host.Storage.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                found.AddRange(entity
                    .Where(pair => pair.Key is not ("PartitionKey" or "RowKey") && pair.Value?.ToString() is { } text && values.Any(value => text.Contains(value, StringComparison.Ordinal)))
                    .Select(pair => $"{table.Name[host.Prefix.Length..]} {entity.PartitionKey}/{entity.RowKey} {pair.Key}"));
            }
        }

        return found;
    }
}
