using System.Net;
using System.Text.Json.Nodes;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Stats;

/// <summary><c>GET /api/stats</c> over <see cref="CaseApi"/>.</summary>
internal static class StatsApi
{
    public static Task<HttpResponseMessage> StatsAsync(this CaseApi api, string query, string? person = CaseApi.Coordinator, string? key = null)
        => api.SendAsync(HttpMethod.Get, "api/stats" + query, person, arrange: request => Serverless.Tests.Entries.EntryApi.Credentials(request, key, null));

    /// <summary>The counts as JSON, asserting 200.</summary>
    public static async Task<JsonObject> StatsOfAsync(this CaseApi api, string query)
    {
        using var response = await api.StatsAsync(query);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }
}
