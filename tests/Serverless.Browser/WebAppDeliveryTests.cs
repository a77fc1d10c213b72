using Microsoft.Playwright;
using Xunit.Abstractions;
using Serverless.Functions.Web;

namespace Serverless.Browser;

/// <summary>How the page itself is delivered: its security headers, what may be cached, and its weight on a slow network.</summary>
public sealed class WebAppDeliveryTests(BrowserHost host, ITestOutputHelper output) : IClassFixture<BrowserHost>
{
    private const long FirstLoadBudgetBytes = 150 * 1024;

    [Fact]
    public async Task TheSignInScreenLoadsUnder150KilobytesWithStrictHeaders()
    {
        var page = await host.NewPhoneAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) => responses.Add(response);
        await page.GotoAsync("app/", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.Locator("[data-subject='teacher-tanaka']")).ToBeVisibleAsync();

        long transferred = 0;
        foreach (var response in responses)
        {
            var sizes = await response.Request.SizesAsync();
            transferred += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }

        output.WriteLine($"first load of the sign-in screen: {transferred:N0} bytes transferred in {responses.Count} responses (budget {FirstLoadBudgetBytes:N0})");
        Assert.InRange(transferred, 1, FirstLoadBudgetBytes);

        var index = responses.Single(response => response.Url.EndsWith("/app/", StringComparison.Ordinal));
        var headers = await index.AllHeadersAsync();
        Assert.Equal("no-store", headers["cache-control"]);
        Assert.Equal(WebAssetResult.ContentSecurityPolicy, headers["content-security-policy"]);
        Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.DoesNotContain("<script>", await index.TextAsync());

        var scripts = responses.Where(response => response.Url.EndsWith(".js", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.Matches("/app/v/[0-9a-f]{16}/", script.Url);
            var scriptHeaders = await script.AllHeadersAsync();
            Assert.Equal("public, max-age=31536000, immutable", scriptHeaders["cache-control"]);
            Assert.Contains(scriptHeaders["content-encoding"], new[] { "br", "gzip" });
        }

        var people = responses.Single(response => response.Url.EndsWith("/dev/sign-in/people", StringComparison.Ordinal));
        Assert.Equal("no-store", (await people.AllHeadersAsync())["cache-control"]);
    }

    [Fact]
    public async Task AFileTheAppDoesNotHaveIsAProblemNotAPage()
    {
        using var response = await host.Api.GetAsync("app/v/0000000000000000/nothing.js");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("request.route-not-found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAssetOfAnotherVersionIsServedButNotCached()
    {
        using var response = await host.Api.GetAsync("app/v/0000000000000000/main.js");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
