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
        Assert.Contains("/api/cases/{caseId}", paths);
    }

    [Fact]
    public async Task EveryDocumentedOperationAnswersAnonymousCallersAsDocumented()
    {
        using var document = JsonDocument.Parse(await target.Client.GetStringAsync("api/openapi.json"));
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject().Where(path => path.Name != "/{path}"))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                // A well-formed case id that exists nowhere: an anonymous caller learns nothing either way.
                // The web app's file route: its page (index.html, never cached), the one file every deployment has.
                var url = path.Name.Replace("{caseId}", "c0000000000000000000000000", StringComparison.Ordinal)
                    .Replace("/app/{file}", "/app/", StringComparison.Ordinal).TrimStart('/');
                using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), url);
                if (operation.Name is "post" or "patch" or "put")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                var response = await target.Client.SendAsync(request);
                var anonymous = operation.Value.TryGetProperty("x-access", out var access) && access.GetString() == "anonymous";
                // Listed without security yet not anonymous: trusted on a signature in the body (the transfer intake), so
                // a body that is no signed message is refused, 403, exactly as any other refusal.
                var signatureOnly = !anonymous && operation.Value.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
                var expected = anonymous ? HttpStatusCode.OK : signatureOnly ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized;
                Assert.True(response.StatusCode == expected, $"{operation.Name.ToUpperInvariant()} {path.Name} answered {(int)response.StatusCode}, expected {(int)expected}");
                Assert.True(response.Headers.CacheControl?.NoStore, $"{operation.Name.ToUpperInvariant()} {path.Name} lacks Cache-Control: no-store");
            }
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
