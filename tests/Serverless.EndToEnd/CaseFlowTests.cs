using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Serverless.EndToEnd;

/// <summary>A coordinator's day with one case, over plain HTTP: register, read, correct, look back, find.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CaseFlowTests(EndToEndTarget target)
{
    [Fact]
    public async Task CoordinatorRegistersReadsCorrectsAndFindsACase()
    {
        // Invented names, unique per run so the duplicate check does not meet an earlier run's case.
        var tag = string.Concat(Guid.NewGuid().ToString("N")[..6].Select(c => (char)('ア' + (c % 20) * 2)));
        var record = new JsonObject
        {
            ["category"] = "requiring-support",
            ["child"] = new JsonObject
            {
                ["name"] = new JsonObject { ["family"] = "試験", ["given"] = "一郎", ["familyKana"] = "シケン", ["givenKana"] = "イチロウ" + tag },
                ["birthDate"] = "2018-05-05",
            },
            ["leadAgencyId"] = target.LeadAgencyId,
            ["notes"] = "E2E テスト用の架空のケース",
        };

        using var created = await SendAsync(HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var caseId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
        Assert.Equal("\"v1\"", created.Headers.ETag?.ToString());

        using var read = await SendAsync(HttpMethod.Get, $"api/cases/{caseId}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("E2E テスト用の架空のケース", (await read.Content.ReadFromJsonAsync<JsonObject>())!["record"]!["notes"]!.GetValue<string>());

        var change = new JsonObject { ["reason"] = "受理会議の結果を反映", ["changes"] = new JsonObject { ["status"] = "registered", ["nextReviewDate"] = "2030-01-31" } };
        using var stale = await SendAsync(HttpMethod.Patch, $"api/cases/{caseId}", change, ifMatch: "\"v0\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        using var changed = await SendAsync(HttpMethod.Patch, $"api/cases/{caseId}", change, ifMatch: "\"v1\"");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("\"v2\"", changed.Headers.ETag?.ToString());

        using var history = await SendAsync(HttpMethod.Get, $"api/cases/{caseId}/history");
        var versions = (await history.Content.ReadFromJsonAsync<JsonObject>())!["versions"]!.AsArray();
        Assert.Equal([2L, 1L], versions.Select(version => version!["version"]!.GetValue<long>()));
        Assert.Equal("受理会議の結果を反映", versions[0]!["reason"]!.GetValue<string>());

        // Found again by its kana name typed in hiragana and half-width spacing.
        var hiragana = string.Concat(("イチロウ" + tag).Select(c => (char)(c - 0x60)));
        using var found = await SendAsync(HttpMethod.Post, "api/cases/search", new JsonObject { ["name"] = "しけん\u3000" + hiragana });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var candidates = (await found.Content.ReadFromJsonAsync<JsonObject>())!["candidates"]!.AsArray();
        Assert.Contains(candidates, candidate => candidate!["caseId"]!.GetValue<string>() == caseId);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, JsonNode? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Authorization", target.CoordinatorAuthorization);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await target.Client.SendAsync(request);
    }
}
