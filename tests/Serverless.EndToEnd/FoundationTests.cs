using System.Net;
using System.Text.Json;

namespace Serverless.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class FoundationTests(EndToEndTarget target)
{
    [Fact]
    public async Task HealthIsHealthyAndNotCacheable()
    {
        var response = await target.Client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("deadLetters").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task OpenApiDocumentDescribesEveryRouteItServes()
    {
        using var document = JsonDocument.Parse(await target.Client.GetStringAsync("api/openapi.json"));

        Assert.Equal("3.1.0", document.RootElement.GetProperty("openapi").GetString());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();
        Assert.Contains("/api/health", paths);
        Assert.Contains("/api/openapi.json", paths);

        // Every parameterless GET in the document answers, with no-store, and never with a bare 500.
        foreach (var path in paths.Where(path => !path.Contains('{', StringComparison.Ordinal)))
        {
            var response = await target.Client.GetAsync(path.TrimStart('/'));
            Assert.True(response.StatusCode is HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
            Assert.True(response.Headers.CacheControl?.NoStore, $"GET {path} lacks Cache-Control: no-store");
        }
    }

    [Fact]
    public async Task UnknownUrlAnswersAProblemInJapaneseByDefault()
    {
        var response = await target.Client.GetAsync("api/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ja", response.Content.Headers.ContentLanguage.Single());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("request.route-not-found", body.RootElement.GetProperty("code").GetString());
        Assert.Equal("このURLはありません", body.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task UnknownUrlAnswersInEnglishWhenAsked()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/no-such-thing");
        request.Headers.AcceptLanguage.ParseAdd("en-GB, ja;q=0.5");

        var response = await target.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("There is no such URL", body.RootElement.GetProperty("title").GetString());
        Assert.Equal(body.RootElement.GetProperty("requestId").GetString(), response.Headers.GetValues("X-Request-Id").Single());
    }
}
