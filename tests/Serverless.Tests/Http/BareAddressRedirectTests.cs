using System.Net;
using Serverless.Problems;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Http;

/// <summary><c>GET /</c> redirects (302) to the web app at <c>/app/</c>; any other method on <c>/</c>, and any other unknown
/// URL, is still 404 request.route-not-found (docs/web-app.md).</summary>
public sealed class BareAddressRedirectTests
{
    [Fact]
    public async Task GetOfTheBareAddressRedirectsToTheWebAppAndNothingElseDoes()
    {
        await using var host = await TestHost.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Client.BaseAddress };

        using var get = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Found, get.StatusCode);
        Assert.Equal("/app/", get.Headers.Location?.OriginalString);

        using var post = await client.PostAsync("/", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        (await ObservedResponse.FromAsync(post)).AssertProblem(ProblemCatalogue.RouteNotFound, ProblemLanguage.Japanese, instance: "/");

        using var other = await client.GetAsync("/index.html");
        (await ObservedResponse.FromAsync(other)).AssertProblem(ProblemCatalogue.RouteNotFound, ProblemLanguage.Japanese, instance: "/index.html");
    }
}
