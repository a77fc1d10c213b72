using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Cases.BreakGlass;
using Serverless.DevHost;
using Serverless.Notifications;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Audit.Integration;

/// <summary>
/// Personal data through the audited endpoints (a case with planted names, a break-glass reason and review
/// finding, a forwarding header that is not an address) reaches no log, key, queue or blob, and no value of any audit entry,
/// index row, seal or notification. The reason and finding stay in the grant row, where they belong.
/// </summary>
public sealed class AuditedEndpointsCanaryTests
{
    [Fact]
    public async Task PersonalDataThroughBreakGlassAndAuditEndpointsReachesNoAuditEntryLogKeyOrNotification()
    {
        await using var api = await CaseApi.StartAsync();
        var canary = new PersonalDataCanary();
        var record = new JsonObject
        {
            ["category"] = "requiring-protection",
            ["child"] = new JsonObject
            {
                ["name"] = new JsonObject { ["family"] = canary.FamilyName, ["given"] = canary.GivenName, ["familyKana"] = canary.KanaName },
                ["aliases"] = new JsonArray(canary.Marker),
                ["birthDate"] = canary.BirthDate,
            },
            ["leadAgencyId"] = "midori-kodomo-ka",
            ["keyAgencyId"] = "minami-shogakko",
            ["location"] = new JsonObject { ["address"] = canary.Address },
            ["notes"] = canary.ReportText,
        };
        var caseId = await api.CreateIdAsync(CaseApi.NameDemoStaff(record));

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(caseId, "teacher-kimura")).StatusCode);
        using var forged = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", "teacher-tanaka", arrange: request => request.Headers.TryAddWithoutValidation("X-Forwarded-For", canary.Marker + ", " + canary.Marker));
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        using var opened = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/break-glass", "jisou-ito", CaseApi.Json(new JsonObject { ["reason"] = canary.ReportText + " " + canary.Address }));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var grantId = (string)(await CaseApi.BodyAsync(opened))["grantId"]!;
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(caseId, "jisou-ito")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.HistoryAsync(caseId, person: "jisou-ito")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "api/break-glass", "coordinator-mori")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "api/notifications", "coordinator-mori")).StatusCode);
        using var reviewed = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/break-glass/{grantId}/review", "coordinator-mori", CaseApi.Json(new JsonObject { ["finding"] = canary.FamilyName + "の件は妥当" }));
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/break-glass", "jisou-ito", CaseApi.Json(new JsonObject { ["reason"] = canary.ReportText }))).StatusCode); // already visible
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={caseId}", "auditor-watanabe")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"api/audit?actor={DemoPeople.PersonId("jisou-ito")}&from=2025-06-16&to=2025-06-16", "auditor-watanabe")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Get, $"api/audit?actor={Uri.EscapeDataString(canary.FamilyName)}&from=2025-06-16&to=2025-06-16", "auditor-watanabe")).StatusCode);
        api.Host.Clock!.Advance(TimeSpan.FromMinutes(6));
        await api.Host.Get<AuditSealer>().SealAsync(CancellationToken.None);

        Assert.Empty(await canary.FindLeaksAsync(api.Host));
        Assert.Empty(await ValueLeaksAsync(api.Host, canary, AuditTables.LogTable, AuditTables.ByCaseTable, AuditTables.SealTable, NotificationInbox.TableName));
        Assert.Empty(await SealBlobLeaksAsync(api.Host, canary));
        Assert.NotEmpty(await ValueLeaksAsync(api.Host, canary, BreakGlassGrants.TableName)); // the reason is kept, in its own row
        Assert.True((await api.Host.Get<AuditVerifier>().VerifyAsync(CancellationToken.None)).Clean);
    }

    private static async Task<List<string>> ValueLeaksAsync(TestHost host, PersonalDataCanary canary, params string[] tables)
    {
        var leaks = new List<string>();
        foreach (var name in tables)
        {
            var table = host.Storage.Tables.GetTableClient(host.Names.Table(name));
            await foreach (var entity in table.QueryAsync<TableEntity>())
            {
                leaks.AddRange(entity
                    .Where(pair => canary.Values.Any(value => Convert.ToString(pair.Value, CultureInfo.InvariantCulture)?.Contains(value, StringComparison.Ordinal) == true))
                    .Select(pair => $"{name} {entity.PartitionKey}/{entity.RowKey}.{pair.Key}"));
            }
        }

        return leaks;
    }

    private static async Task<List<string>> SealBlobLeaksAsync(TestHost host, PersonalDataCanary canary)
    {
        var leaks = new List<string>();
        var container = host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(AuditTables.SealContainer));
        await foreach (var blob in container.GetBlobsAsync())
        {
            var text = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
            leaks.AddRange(canary.Values.Where(value => text.Contains(value, StringComparison.Ordinal)).Select(_ => "seal blob " + blob.Name));
        }

        return leaks;
    }
}
