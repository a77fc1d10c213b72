using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Privacy;

/// <summary>
/// A property named twice in a body is refused, whatever the endpoint and however deep: a form or gateway
/// that checked the first value must not be fooled by a second. The name may be personal data (a key of
/// <c>changes</c> is a field the caller chose), so it may come back to the caller in the error's path, never
/// reach a log.
/// </summary>
public sealed class DuplicatePropertyCanaryTests
{
    [Fact]
    public async Task DuplicateKeyInsideCaseChangesIsAValidationErrorThatChangesNothingAndReachesNoLog()
    {
        await using var host = await TestHost.StartAsync();
        await host.SaveDemoAgenciesAsync();
        var canary = new PersonalDataCanary();
        var caseId = await CreateCaseAsync(host);

        var key = JsonSerializer.Serialize(canary.FamilyName);
        var answer = await SendRawAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", "{\"reason\":\"訂正\",\"changes\":{\"child\":{" + key + ":\"a\"," + key + ":\"b\"}}}", ifMatch: "\"v1\"");

        await AssertDuplicateAsync(answer, "$.changes.child." + canary.FamilyName);
        var unchanged = new JsonObject { ["reason"] = "訂正", ["changes"] = new JsonObject { ["notes"] = "追記" } };
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", unchanged, ifMatch: "\"v1\"")).StatusCode);
        Assert.Empty(await canary.FindLeaksAsync(host));
    }

    [Fact]
    public async Task DuplicateTopLevelPropertyIsAValidationErrorOnEveryEndpointAndReachesNoLog()
    {
        await using var host = await TestHost.StartAsync();
        await host.SaveDemoAgenciesAsync();
        var canary = new PersonalDataCanary();
        var caseId = await CreateCaseAsync(host);
        var planted = JsonSerializer.Serialize(canary.ReportText);

        // The first value is what a gateway that reads the first one would check; the last is what won before.
        await AssertDuplicateAsync(
            await SendRawAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", "{\"reason\":\"訂正\",\"changes\":{},\"reason\":" + planted + "}", ifMatch: "\"v1\""),
            "$.reason");
        await AssertDuplicateAsync(
            await SendRawAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", "{\"reason\":\"訂正\",\"changes\":{\"notes\":\"a\"},\"changes\":{\"notes\":" + planted + "}}", ifMatch: "\"v1\""),
            "$.changes");
        await AssertDuplicateAsync(
            await SendRawAsync(host, HttpMethod.Post, "api/cases/search", "{\"name\":\"トリイ\",\"Name\":" + planted + "}"),
            "$.Name");
        await AssertDuplicateAsync(
            await SendRawAsync(host, HttpMethod.Post, $"api/cases/{caseId}/legal-hold", "{\"reason\":\"保全\",\"reason\":" + planted + "}"),
            "$.reason");
        await AssertDuplicateAsync(
            await SendRawAsync(host, HttpMethod.Post, "api/cases", "{\"record\":{\"category\":\"requiring-protection\",\"category\":\"requiring-protection\",\"notes\":" + planted + "}}"),
            "$.record.category");

        Assert.Empty(await canary.FindLeaksAsync(host));
    }

    private static async Task AssertDuplicateAsync(HttpResponseMessage answer, string field)
    {
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)answer.StatusCode}: {text}");
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("request.validation-failed", problem["code"]!.GetValue<string>());
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal(field, error["field"]!.GetValue<string>());
        Assert.Equal("duplicate-property", error["code"]!.GetValue<string>());
    }

    private static async Task<string> CreateCaseAsync(TestHost host)
    {
        var record = new JsonObject
        {
            ["category"] = "requiring-protection",
            ["child"] = new JsonObject
            {
                ["name"] = new JsonObject { ["family"] = "山田", ["given"] = "花子", ["familyKana"] = "ヤマダ" },
                ["birthDate"] = "2019-04-01",
            },
            ["leadAgencyId"] = "midori-kodomo-ka",
            ["keyAgencyId"] = "minami-shogakko",
        };
        var created = await SendAsync(host, HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string url, JsonNode body, string? ifMatch = null)
        => SendRawAsync(host, method, url, body.ToJsonString(), ifMatch);

    private static async Task<HttpResponseMessage> SendRawAsync(TestHost host, HttpMethod method, string url, string body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.AcceptLanguage.ParseAdd("en");
        host.SignIn(request, "coordinator-sato");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await host.Client.SendAsync(request);
    }
}
