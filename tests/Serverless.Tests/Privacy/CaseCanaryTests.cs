using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Serverless.Agencies;
using Serverless.DevHost;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Privacy;

/// <summary>Personal data passes through every case endpoint; none of it may reach logs, keys, queues or blobs.</summary>
public sealed class CaseCanaryTests
{
    [Fact]
    public async Task PersonalDataThroughEveryCaseEndpointReachesNoLogKeyQueueOrBlob()
    {
        await using var host = await TestHost.StartAsync(backgroundTriggers: true);
        await host.SaveDemoAgenciesAsync();

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
            ["household"] = new JsonArray(new JsonObject
            {
                ["name"] = new JsonObject { ["family"] = canary.FamilyName, ["given"] = "母" + canary.Marker },
                ["relationship"] = "mother",
                ["isGuardian"] = true,
            }),
            ["leadAgencyId"] = "midori-kodomo-ka",
            ["keyAgencyId"] = "minami-shogakko",
            ["location"] = new JsonObject { ["address"] = canary.Address },
            ["notes"] = canary.ReportText,
        };

        // Create, then a duplicate attempt (409), then read, change, list, history and search; then disposal.
        var created = await SendAsync(host, HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record.DeepClone() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var caseId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(host, HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record.DeepClone() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Get, $"api/cases/{caseId}")).StatusCode);

        var patch = new JsonObject
        {
            ["reason"] = "住所変更: " + canary.Address,
            ["changes"] = new JsonObject { ["notes"] = canary.ReportText + "（追記）", ["child"] = new JsonObject { ["previousNames"] = new JsonArray(new JsonObject { ["familyKana"] = canary.KanaName + "キュウ" }) } },
        };
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", patch, ifMatch: "\"v1\"")).StatusCode);

        // Bad input that carries personal data must be refused without echoing it anywhere.
        var invalid = new JsonObject { ["reason"] = canary.ReportText, ["changes"] = new JsonObject { ["child"] = new JsonObject { ["birthDate"] = canary.Address } } };
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", invalid, ifMatch: "\"v2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", patch, ifMatch: "\"v1\"")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Get, "api/cases?status=accepted")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Get, "api/cases?agency=minami-shogakko", person: "teacher-tanaka")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Get, $"api/cases/{caseId}/history")).StatusCode);
        var search = new JsonObject { ["name"] = canary.KanaName, ["birthDate"] = canary.BirthDate, ["guardianName"] = canary.FamilyName, ["previousNames"] = new JsonArray(canary.Marker) };
        var found = await SendAsync(host, HttpMethod.Post, "api/cases/search", search);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains(caseId, await found.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(host, HttpMethod.Get, $"api/cases/{caseId}", person: "nursery-yamada")).StatusCode);

        // Disposal: a hold and its release, a refused proposal (not closed), then closure, proposal, approval and the run.
        var because = new JsonObject { ["reason"] = canary.ReportText };
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Post, $"api/cases/{caseId}/legal-hold", because)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(host, HttpMethod.Post, $"api/cases/{caseId}/legal-hold/release", because)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Post, $"api/cases/{caseId}/legal-hold/release/confirm", person: "coordinator-mori")).StatusCode);
        var proposal = new JsonObject { ["reason"] = canary.ReportText, ["ruleReference"] = "文書管理規程第12条" };
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(host, HttpMethod.Post, $"api/cases/{caseId}/disposal", proposal)).StatusCode);
        var close = new JsonObject
        {
            ["reason"] = "終結",
            ["changes"] = new JsonObject { ["status"] = "closed", ["closure"] = new JsonObject { ["outcome"] = "improved", ["reason"] = canary.ReportText, ["decidedOn"] = "2019-03-01", ["meeting"] = "第3回実務者会議" } },
        };
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", close, ifMatch: "\"v2\"")).StatusCode);
        await Serverless.Tests.Disposal.DisposalApi.AgeClosingVersionAsync(host, caseId, new DateOnly(2019, 3, 1)); // closed "years ago"
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(host, HttpMethod.Post, $"api/cases/{caseId}/disposal", proposal)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Post, $"api/cases/{caseId}/disposal/approve", person: "coordinator-mori")).StatusCode);
        Assert.Equal(caseId, Assert.Single(await host.Get<Serverless.Cases.Disposal.DisposalRunner>().RunAsync(CancellationToken.None)).CaseId);

        Assert.Empty(await canary.FindLeaksAsync(host));
    }

    private static async Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string url, JsonNode? body = null, string person = "coordinator-sato", string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        host.SignIn(request, person);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await host.Client.SendAsync(request);
    }
}
