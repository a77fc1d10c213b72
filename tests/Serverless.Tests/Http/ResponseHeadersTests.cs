using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Serverless.Functions.Http;
using Serverless.Problems;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Http;

/// <summary>Responses hold children's data: whatever the answer, no cache may keep it, no browser may
/// sniff it, and it carries the id that finds its log entries.</summary>
public sealed class ResponseHeadersTests
{
    [Theory]
    [InlineData("api/health", "application/json; charset=utf-8")]
    [InlineData("api/openapi.json", "application/json; charset=utf-8")]
    public async Task SuccessfulResponsesCarryTheStandardHeaders(string url, string contentType)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.GetAsync(url);

        var observed = await ObservedResponse.FromAsync(response);
        Assert.Equal(200, observed.Status);
        Assert.Equal(contentType, observed.Header("Content-Type"));
        observed.AssertStandardHeaders();
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task UnknownRouteProblemCarriesTheStandardHeadersForEveryMethod(string method)
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), "api/cases/unknown/route");
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("""{"note":"x"}""", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await host.Client.SendAsync(request);

        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(ProblemCatalogue.RouteNotFound, ProblemLanguage.Japanese, instance: "/api/cases/unknown/route");
    }

    [Theory]
    [InlineData("OPTIONS", "api/health")]
    [InlineData("TRACE", "api/health")]
    [InlineData("OPTIONS", "api/cases/unknown/route")]
    public async Task TheLocalHostsMethodNotAllowedIsAProblemWithTheStandardHeaders(string method, string path)
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await host.Client.SendAsync(request);

        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(ProblemCatalogue.MethodNotAllowed, ProblemLanguage.Japanese, instance: "/" + path);
        // Routing names every method of every route the URL matches (the catch-all's included): GET is among them.
        Assert.Contains("GET", response.Content.Headers.Allow.Select(name => name.ToUpperInvariant()));
    }

    [Fact]
    public async Task TheLocalHostsAnswerToHeadCarriesTheStandardHeadersAndNoBody()
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Head, "api/health");

        using var response = await host.Client.SendAsync(request);

        var observed = await ObservedResponse.FromAsync(response);
        Assert.Equal(405, observed.Status);
        observed.AssertStandardHeaders();
        Assert.Equal("application/problem+json; charset=utf-8", observed.Header("Content-Type"));
        Assert.Equal("", observed.Body);
    }

    [Fact]
    public async Task FailingFunctionAnswersInternalErrorProblemWithTheStandardHeaders()
    {
        // The health function reads the clock last; a broken clock makes it fail after doing its work.
        await using var host = await TestHost.StartAsync(services: services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new BrokenClock())));

        using var response = await host.Client.GetAsync("api/health");

        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(ProblemCatalogue.InternalError, ProblemLanguage.Japanese, instance: "/api/health");
        var requestId = observed.Header("X-Request-Id");
        var logged = Assert.Single(host.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Category == typeof(HttpEndpoint).FullName);
        Assert.Contains(requestId, logged.Text, StringComparison.Ordinal);
        Assert.Contains(typeof(InvalidOperationException).FullName!, logged.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(BrokenClock.Message, logged.Text + logged.Exception, StringComparison.Ordinal); // the type, never the message
    }

    [Fact]
    public async Task EveryRequestGetsItsOwnRequestId()
    {
        await using var host = await TestHost.StartAsync();

        using var first = await host.Client.GetAsync("api/health");
        using var second = await host.Client.GetAsync("api/health");
        using var third = await host.Client.GetAsync("api/nowhere");

        string[] ids = [.. new[] { first, second, third }.Select(response => Assert.Single(response.Headers.GetValues("X-Request-Id")))];
        Assert.All(ids, id => Assert.Matches(EndpointCall.RequestIdPattern(), id));
        Assert.Equal(3, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task StandardHeadersReplaceWhatAHandlerSet()
    {
        var call = await EndpointCall.RunAsync((request, _) =>
        {
            var response = request.HttpContext.Response;
            response.Headers.CacheControl = "public, max-age=3600";
            response.Headers["X-Request-Id"] = "chosen-by-the-handler";
            return Task.FromResult<IActionResult>(ApiResult.Ok(new { ok = true }));
        });

        Assert.Equal(200, call.Status);
        call.AssertStandardHeaders();
    }

    [Fact]
    public async Task ProblemsCarryContentLanguageAndOtherResponsesDoNot()
    {
        var problem = await EndpointCall.RunAsync((_, context) => Task.FromResult<IActionResult>(context.Problem(ProblemCatalogue.NotFound)));
        var ok = await EndpointCall.RunAsync((_, _) => Task.FromResult<IActionResult>(ApiResult.Ok(new { ok = true })));

        Assert.Equal("ja", problem.Header("Content-Language"));
        Assert.False(ok.Headers.ContainsKey("Content-Language"));
        ok.AssertStandardHeaders();
    }

    private sealed class BrokenClock : TimeProvider
    {
        public const string Message = "The clock is broken (test).";

        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException(Message);
    }
}
