using System.Net;
using System.Text.Json.Nodes;
using Serverless.Problems;

namespace Serverless.Tests.Cases.Api;

/// <summary>HTTP details clients rely on: Location, strict ETags, paging tokens tied to their query, role before body.</summary>
public sealed class CaseProtocolTests
{
    [Fact]
    public async Task CreatedCaseAnswersWithItsLocation()
    {
        await using var api = await CaseApi.StartAsync();

        using var response = await api.CreateAsync(CaseApi.ValidRecord());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var caseId = (string)(await CaseApi.BodyAsync(response))["caseId"]!;
        Assert.Equal("/api/cases/" + caseId, response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(caseId)).StatusCode);
    }

    [Theory]
    [InlineData("\"v01\"")]
    [InlineData("\"v1 \"")]
    [InlineData("\"V1\"")]
    public async Task IfMatchMustBeTheExactTagIssued(string etag)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, etag, "見直し日の変更", new JsonObject { ["nextReviewDate"] = "2025-09-01" });

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        await CaseApi.ProblemAsync(response, ProblemCatalogue.PreconditionFailed);
    }

    [Fact]
    public async Task MemberSendingAnUnreadableBodyToCreateIsRefusedForItsRoleFirst()
    {
        await using var api = await CaseApi.StartAsync();

        using var response = await api.SendAsync(HttpMethod.Post, "api/cases", "teacher-tanaka", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await CaseApi.ProblemAsync(response, ProblemCatalogue.Forbidden);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhIjoxfQ")]
    public async Task HistoryRefusesAContinuationTokenThatIsNotOurs(string token)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.HistoryAsync(caseId, "?continuationToken=" + token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await CaseApi.ValidationErrorsAsync(response, ("$.continuationToken", "invalid-id"));
    }

    [Fact]
    public async Task HistoryTokenOfOneCaseIsRefusedForAnother()
    {
        await using var api = await CaseApi.StartAsync();
        var first = await api.CreateIdAsync(CaseApi.ValidRecord());
        var second = await api.CreateIdAsync(CaseApi.ValidRecord());
        using (await api.PatchAsync(first, "\"v1\"", "見直し日の変更", new JsonObject { ["nextReviewDate"] = "2025-09-01" }))
        {
        }

        var page = await CaseApi.BodyAsync(await api.HistoryAsync(first, "?pageSize=1"));
        var token = (string)page["continuationToken"]!;

        using var reused = await api.HistoryAsync(second, "?pageSize=1&continuationToken=" + Uri.EscapeDataString(token));
        using var proper = await api.HistoryAsync(first, "?pageSize=1&continuationToken=" + Uri.EscapeDataString(token));

        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, proper.StatusCode);
        Assert.Equal(1, (long)(await CaseApi.BodyAsync(proper))["versions"]![0]!["version"]!);
    }

    [Fact]
    public async Task SearchCriteriaHaveTheSameLimitsAsRecords()
    {
        await using var api = await CaseApi.StartAsync();
        var previous = new JsonArray(Enumerable.Range(0, 11).Select(i => (JsonNode)("ヤマダ" + i)).ToArray());

        using var response = await api.SearchAsync(new JsonObject { ["name"] = new string('ア', 101), ["previousNames"] = previous });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await CaseApi.ValidationErrorsAsync(response, ("$.name", "too-long"), ("$.previousNames", "too-many"));
    }

    [Fact]
    public async Task SearchBodyOverSixteenKilobytesIsRefused()
    {
        await using var api = await CaseApi.StartAsync();

        using var response = await api.SearchAsync(new JsonObject { ["name"] = new string('ア', 6000) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await CaseApi.ProblemAsync(response, ProblemCatalogue.BodyTooLarge);
    }
}
