using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Serverless.Browser;

/// <summary>The local host with the page set to Entra sign-in through two tenants (a municipality's and a board of education's).</summary>
public sealed class EntraBrowserHost : BrowserHost
{
    public const string CityTenant = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111";
    public const string SchoolTenant = "https://login.microsoftonline.com/22222222-2222-2222-2222-222222222222";
    public const string ClientId = "33333333-3333-3333-3333-333333333333";
    public const string Scope = "api://44444444-4444-4444-4444-444444444444/Cases.ReadWrite";

    protected override IEnumerable<string> Settings =>
    [
        "--WebApp:SignIn", "entra",
        "--WebApp:Entra:ClientId", ClientId,
        "--WebApp:Entra:Scope", Scope,
        "--WebApp:Entra:Authorities:0:Authority", CityTenant,
        "--WebApp:Entra:Authorities:0:DisplayName", "みどり市役所の職員",
        "--WebApp:Entra:Authorities:1:Authority", SchoolTenant,
        "--WebApp:Entra:Authorities:1:DisplayName", "みどり市教育委員会・学校",
    ];
}

/// <summary>
/// The page with Entra sign-in configured. What is proven: one button per authority, the settings in meta tags, the
/// connect-src computed from the authorities, MSAL served from the content-hashed path only after a button is pressed,
/// and the redirect it makes is an authorization-code request with PKCE (S256) to the chosen tenant, with nothing
/// written to localStorage and no CSP violation. Not proven here: redeeming a code at a token endpoint (no fake
/// OpenID provider yet); the authority's host is answered by the test (Playwright routes), never by the network.
/// </summary>
public sealed class EntraSignInTests(EntraBrowserHost host) : IClassFixture<EntraBrowserHost>
{
    [Fact]
    public async Task EachAuthorityHasAButtonAndPressingOneRedirectsWithPkceLeavingLocalStorageEmpty()
    {
        var page = await host.NewPhoneAsync();
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        var scripts = new List<string>();
        page.Request += (_, request) => { if (request.Url.EndsWith(".js", StringComparison.Ordinal)) scripts.Add(request.Url); };

        string? authorizeUrl = null;
        await page.Context.RouteAsync("https://login.microsoftonline.com/**", async route =>
        {
            var url = route.Request.Url;
            if (url.Contains("/oauth2/v2.0/authorize", StringComparison.Ordinal))
            {
                authorizeUrl = url;
                await route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = "<p>fake authority</p>" });
                return;
            }

            var tenant = new Uri(url).Segments[1].TrimEnd('/');
            if (url.Contains("openid-configuration", StringComparison.Ordinal))
            {
                await route.FulfillAsync(new()
                {
                    Status = 200, ContentType = "application/json",
                    Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" },
                    Body = $$"""{"token_endpoint":"https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token","issuer":"https://login.microsoftonline.com/{{tenant}}/v2.0","authorization_endpoint":"https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/authorize","end_session_endpoint":"https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/logout","jwks_uri":"https://login.microsoftonline.com/{{tenant}}/discovery/v2.0/keys","response_modes_supported":["query","fragment","form_post"]}""",
                });
                return;
            }

            await route.FulfillAsync(new()
            {
                Status = 200, ContentType = "application/json",
                Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" },
                Body = """{"tenant_discovery_endpoint":"https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration","api-version":"1.1","metadata":[{"preferred_network":"login.microsoftonline.com","preferred_cache":"login.windows.net","aliases":["login.microsoftonline.com","login.windows.net","login.microsoft.com","sts.windows.net"]}]}""",
            });
        });

        var index = await page.GotoAsync("app/", new() { WaitUntil = WaitUntilState.NetworkIdle });
        var csp = (await index!.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("connect-src 'self' https://login.microsoftonline.com;", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);

        var buttons = page.Locator("button[data-authority]");
        await Assertions.Expect(buttons).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($"button[data-authority='{EntraBrowserHost.CityTenant}']")).ToHaveTextAsync("みどり市役所の職員");
        await Assertions.Expect(page.Locator($"button[data-authority='{EntraBrowserHost.SchoolTenant}']")).ToHaveTextAsync("みどり市教育委員会・学校");
        Assert.Equal(EntraBrowserHost.ClientId, await page.Locator("meta[name='entra-client-id']").GetAttributeAsync("content"));
        Assert.Equal(EntraBrowserHost.Scope, await page.Locator("meta[name='entra-scope']").GetAttributeAsync("content"));
        Assert.DoesNotContain(scripts, url => url.Contains("msal", StringComparison.Ordinal)); // not loaded until needed
        await BrowserHost.ScreenshotAsync(page, "entra-sign-in");

        await page.Locator($"button[data-authority='{EntraBrowserHost.SchoolTenant}']").ClickAsync();
        await page.WaitForURLAsync(new Regex("oauth2/v2.0/authorize"));
        Assert.Contains(scripts, url => Regex.IsMatch(url, "/app/v/[0-9a-f]{16}/vendor/msal-browser/msal-browser.min.js$"));

        Assert.NotNull(authorizeUrl);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorizeUrl!).Query);
        Assert.StartsWith(EntraBrowserHost.SchoolTenant + "/oauth2/v2.0/authorize", authorizeUrl, StringComparison.Ordinal);
        Assert.Equal(EntraBrowserHost.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal("query", query["response_mode"]);
        Assert.Equal(host.BaseAddress + "app/", query["redirect_uri"]);
        Assert.Contains(EntraBrowserHost.Scope, query["scope"]!.Split(' '));

        // Back on the page's origin: MSAL kept its state (PKCE verifier…) in sessionStorage, nothing in localStorage.
        await page.GotoAsync("app/", new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.DoesNotContain(problems, text => text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheVendoredLibraryIsServedFromTheHashedPathCompressedAndCached()
    {
        var html = await host.Api.GetStringAsync("app/");
        var version = Regex.Match(html, "/app/v/([0-9a-f]{16})/").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"app/v/{version}/vendor/msal-browser/msal-browser.min.js");
        request.Headers.AcceptEncoding.ParseAdd("br");
        using var response = await host.Api.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.InRange(response.Content.Headers.ContentLength ?? 0, 1, 80 * 1024);
    }
}
