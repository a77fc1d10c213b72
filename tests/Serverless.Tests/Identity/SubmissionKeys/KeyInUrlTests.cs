using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Problems;
using Serverless.Tests.Administration;
using Serverless.Tests.Http;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Identity.SubmissionKeys;

/// <summary>
/// A key-shaped string (<c>sk_{keyId}_{secret}</c>) anywhere in a URL is a leaked key: proxies, browser history and logs keep
/// URLs. Every route refuses it with 400 <c>auth.key-in-url</c> before anything else (credentials, routing to a case, the
/// catch-all), whether it is a query parameter's name, its value or a path segment, and never echoes it back.
/// </summary>
public sealed class KeyInUrlTests
{
    private const string CaseId = "c0000000000000000000000000a";

    public static TheoryData<string, string> Urls() => new()
    {
        { "health", "api/health?{0}" },
        { "case", $"api/cases/{CaseId}?{{0}}" },
        { "catch-all", "api/no-such-route?{0}" },
        { "file", $"api/cases/{CaseId}/files/a0000000000000000000000000a/content?{{0}}" },
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task KeyAsAQueryValueIsRefusedOnEveryRoute(string route, string template)
    {
        await using var api = await AdminApi.StartAsync();
        var (key, _) = await api.IssueKeyAsync();

        using var response = await api.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "note=" + key), Coordinator);

        await AssertRefusedAsync(response, key, route);
    }

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task KeyAsAQueryNameIsRefusedOnEveryRoute(string route, string template)
    {
        await using var api = await AdminApi.StartAsync();
        var (key, _) = await api.IssueKeyAsync();

        using var response = await api.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, key + "=1"), null);

        await AssertRefusedAsync(response, key, route);
    }

    [Theory]
    [InlineData("health", "api/health/{0}")]
    [InlineData("case", "api/cases/{0}")]
    [InlineData("catch-all", "api/no-such-route/{0}/more")]
    [InlineData("file", "api/cases/" + CaseId + "/files/{0}/content")]
    [InlineData("percent-encoded", "api/cases/{1}")]
    public async Task KeyAsAPathSegmentIsRefusedOnEveryRoute(string route, string template)
    {
        await using var api = await AdminApi.StartAsync();
        var (key, _) = await api.IssueKeyAsync();
        var encoded = string.Concat(key.Select(c => "%" + ((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

        using var response = await api.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, key, encoded), Coordinator);

        await AssertRefusedAsync(response, key, route);
    }

    [Fact]
    public async Task KeyInTheUrlOfACaseIsAuditedAsRefusedNamingTheCaseButNotIndexedUnderIt()
    {
        // Refused before the credentials were looked at: the case id is the anonymous caller's word, so it is kept on the
        // log entry (RequestedCaseId) and never written to the case's index.
        await using var api = await AdminApi.StartAsync();
        var (key, _) = await api.IssueKeyAsync();

        using var response = await api.GetAsync($"api/cases/{CaseId}?note={key}", Coordinator);

        Assert.Equal(400, (int)response.StatusCode);
        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(CaseId, 100, null, CancellationToken.None)).Page.Entries;
        Assert.Empty(audit);
        var entry = Assert.Single(await Serverless.Tests.Audit.Integration.AuditedRequests.EntriesAsync(api.Host, response));
        Assert.Equal((AuditActions.CaseRead, nameof(AuditOutcome.Refused), (string?)null, (string?)null, CaseId), (entry.Action, entry.Outcome, entry.ActorId, entry.CaseId, entry.RequestedCaseId));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string key, string route)
    {
        var observed = await ObservedResponse.FromAsync(response);
        Assert.True(observed.Status == 400, $"{route}: expected 400 auth.key-in-url, got {observed.Status}: {observed.Body}");
        Assert.Equal(ProblemCatalogue.KeyInUrl.Code, (string?)JsonNode.Parse(observed.Body)!["code"]);
        Assert.DoesNotContain(key[3..], observed.Body, StringComparison.Ordinal);
    }
}
