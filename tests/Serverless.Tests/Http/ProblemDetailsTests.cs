using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Serverless.Functions.Http;
using Serverless.Problems;
using Serverless.Tests.Infrastructure;
using RequestFailedException = Azure.RequestFailedException;

namespace Serverless.Tests.Http;

public sealed class ProblemDetailsTests
{
    [Theory]
    [InlineData(null, "ja")]
    [InlineData("", "ja")]
    [InlineData("ja", "ja")]
    [InlineData("en", "en")]
    [InlineData("en-US", "en")]
    [InlineData("EN-gb", "en")]
    [InlineData("en;q=0.5, ja", "ja")]
    [InlineData("ja;q=0.5, en", "en")]
    [InlineData("ja-JP, en;q=0.9", "ja")]
    [InlineData("fr", "ja")]
    [InlineData("fr, en;q=0.8", "en")]
    [InlineData("*", "ja")]
    [InlineData("english", "ja")]
    [InlineData("en;q=0", "ja")]
    public async Task AcceptLanguageChoosesTheProblemLanguage(string? acceptLanguage, string expected)
    {
        var call = await EndpointCall.RunAsync(
            (_, context) => Task.FromResult<IActionResult>(context.Problem(ProblemCatalogue.NotFound)),
            request => request.Headers.AcceptLanguage = acceptLanguage);

        var language = expected == "en" ? ProblemLanguage.English : ProblemLanguage.Japanese;
        call.AssertProblem(ProblemCatalogue.NotFound, language);
    }

    [Theory]
    [InlineData("en;q=abc")]
    [InlineData("en;q=1.5")]
    [InlineData("en;q=")]
    [InlineData(";;;,,,=")]
    [InlineData("en ja")]
    [InlineData("\"en\"")]
    [InlineData("en;q=0.5;q=0.9")]
    public async Task MalformedAcceptLanguageFallsBackToJapanese(string acceptLanguage)
    {
        var call = await EndpointCall.RunAsync(
            (_, context) => Task.FromResult<IActionResult>(context.Problem(ProblemCatalogue.NotFound)),
            request => request.Headers.AcceptLanguage = acceptLanguage);

        call.AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese);
    }

    [Fact]
    public async Task ProblemBodyHasExactlyTheProblemDetailsFieldsTheCodeAndTheRequestId()
    {
        var call = await EndpointCall.RunAsync(
            (_, context) => Task.FromResult<IActionResult>(context.Problem(ProblemCatalogue.ValidationFailed)),
            request => request.Path = "/api/cases/0f1e2d3c");

        Assert.Equal(400, call.Status);
        Assert.Equal("application/problem+json; charset=utf-8", call.Header("Content-Type"));
        Assert.Equal("ja", call.Header("Content-Language"));
        var requestId = call.Header("X-Request-Id");
        Assert.Matches(EndpointCall.RequestIdPattern(), requestId);
        using var body = JsonDocument.Parse(call.Body);
        var root = body.RootElement;
        Assert.Equal(
            ["code", "detail", "instance", "requestId", "status", "title", "type"],
            root.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
        Assert.Equal("urn:serverless-case-sharing:problem:request.validation-failed", root.GetProperty("type").GetString());
        Assert.Equal("入力内容に誤りがあります", root.GetProperty("title").GetString());
        Assert.Equal(400, root.GetProperty("status").GetInt32());
        Assert.Equal("errors に示した項目を修正して、もう一度送信してください。", root.GetProperty("detail").GetString());
        Assert.Equal("/api/cases/0f1e2d3c", root.GetProperty("instance").GetString());
        Assert.Equal("request.validation-failed", root.GetProperty("code").GetString());
        Assert.Equal(requestId, root.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task ProblemInstanceLeavesOutTheQueryString()
    {
        var call = await EndpointCall.RunAsync(
            (_, context) => Task.FromResult<IActionResult>(context.Problem(ProblemCatalogue.NotFound)),
            request =>
            {
                request.Path = "/api/cases";
                request.QueryString = new QueryString("?name=" + Uri.EscapeDataString("鳥居ひかり"));
            });

        call.AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: "/api/cases");
        Assert.DoesNotContain("鳥居", call.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString("鳥居"), call.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ProblemWithFieldErrorsListsThemByPathRuleCodeAndMessageInTheCallersLanguage()
    {
        var call = await EndpointCall.RunAsync(
            (_, context) => Task.FromResult<IActionResult>(context.Invalid([new Serverless.Validation.ValidationError("$.child.birthDate", "future-date")])));

        Assert.Equal(400, call.Status);
        using var body = JsonDocument.Parse(call.Body);
        var errors = body.RootElement.GetProperty("errors");
        var error = Assert.Single(errors.EnumerateArray());
        Assert.Equal(["field", "code", "message"], error.EnumerateObject().Select(property => property.Name));
        Assert.Equal("$.child.birthDate", error.GetProperty("field").GetString());
        Assert.Equal("future-date", error.GetProperty("code").GetString());
        Assert.Equal("未来の日付は指定できません。", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ThrowingHandlerAnswersInternalErrorAndLogsTheExceptionTypeWithTheRequestIdButNotItsMessage()
    {
        var logs = new LogCapture();

        var call = await EndpointCall.RunAsync(EndpointCall.Throwing(new InvalidOperationException("handler broke on 秘密の値")), logs: logs);

        call.AssertProblem(ProblemCatalogue.InternalError, ProblemLanguage.Japanese);
        Assert.DoesNotContain("秘密の値", call.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", call.Body, StringComparison.Ordinal);
        var requestId = call.Header("X-Request-Id");
        var logged = Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Equal(typeof(HttpEndpoint).FullName, logged.Category);
        Assert.Contains(requestId, logged.Text, StringComparison.Ordinal);
        Assert.Contains(typeof(InvalidOperationException).FullName!, logged.Text, StringComparison.Ordinal);
        // The message may quote input (a key, a value): it stays out of the log, as does the exception itself.
        Assert.DoesNotContain("秘密の値", logged.Everything, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(0)] // no answer at all
    public async Task StorageServerErrorAnswersStorageUnavailable(int status)
    {
        var logs = new LogCapture();

        var call = await EndpointCall.RunAsync(EndpointCall.Throwing(new RequestFailedException(status, "storage said no")), logs: logs);

        call.AssertProblem(ProblemCatalogue.StorageUnavailable, ProblemLanguage.Japanese);
        var logged = Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Contains(call.Header("X-Request-Id"), logged.Text, StringComparison.Ordinal);
        Assert.Contains("storage said no", logged.Exception, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableStorageAnswersStorageUnavailable()
    {
        var call = await EndpointCall.RunAsync(EndpointCall.Throwing(new HttpRequestException("Connection refused (127.0.0.1:10002)")));

        call.AssertProblem(ProblemCatalogue.StorageUnavailable, ProblemLanguage.Japanese);
        Assert.DoesNotContain("127.0.0.1", call.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(409)]
    [InlineData(412)]
    [InlineData(404)]
    [InlineData(403)]
    public async Task StorageClientErrorIsNotAnOutageButAnInternalError(int status)
    {
        var call = await EndpointCall.RunAsync(EndpointCall.Throwing(new RequestFailedException(status, "storage refused the request")));

        call.AssertProblem(ProblemCatalogue.InternalError, ProblemLanguage.Japanese);
    }

    [Fact]
    public async Task UnknownRouteAnswersRouteNotFoundProblemThroughTheLocalHost()
    {
        await using var host = await TestHost.StartAsync();

        var response = await host.Client.GetAsync("api/no/such/route");

        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(ProblemCatalogue.RouteNotFound, ProblemLanguage.Japanese, instance: "/api/no/such/route");
    }

    [Fact]
    public async Task UnknownRouteProblemIsEnglishWhenTheCallerPrefersEnglish()
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/no-such-thing");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en-GB, ja;q=0.5");

        var response = await host.Client.SendAsync(request);

        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(ProblemCatalogue.RouteNotFound, ProblemLanguage.English, instance: "/api/no-such-thing");
    }

    [Fact]
    public async Task WrongMethodOnAKnownRouteAnswersRouteNotFound()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.PostAsync("api/health", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(ProblemCatalogue.RouteNotFound, ProblemLanguage.Japanese, instance: "/api/health");
    }

    [Fact]
    public async Task MalformedAcceptLanguageThroughTheLocalHostIsJapaneseNotAServerError()
    {
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/nowhere");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en;q=abc;;,=,");

        var response = await host.Client.SendAsync(request);

        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(ProblemCatalogue.RouteNotFound, ProblemLanguage.Japanese, instance: "/api/nowhere");
    }
}

/// <summary>
/// Runs a handler through <see cref="HttpEndpoint"/> on an in-memory request and executes the
/// result the way both hosts do, so unit tests see the status, headers and bytes a caller would.
/// Shared by the tests in this folder.
/// </summary>
internal static partial class EndpointCall
{
    public const string DefaultPath = "/api/test/notes";

    public static async Task<ObservedResponse> RunAsync(
        Func<HttpRequest, RequestContext, Task<IActionResult>> handler,
        Action<HttpRequest>? arrange = null,
        LogCapture? logs = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Post;
        http.Request.Path = DefaultPath;
        arrange?.Invoke(http.Request);
        var responseBody = new MemoryStream();
        http.Response.Body = responseBody;

        using var factory = new LoggerFactory([logs ?? new LogCapture()]);
        // RunAsync neither authenticates, audits nor reads a case (RunForCallerAsync does): those parts stay unset here.
        var addresses = new Serverless.Identity.ClientAddresses.ClientAddressResolver(Microsoft.Extensions.Options.Options.Create(new Serverless.Identity.ClientAddresses.NetworkOptions()));
        var endpoint = new HttpEndpoint(null!, null!, addresses, null!, factory.CreateLogger<HttpEndpoint>());
        var result = await endpoint.RunAsync(http.Request, context => handler(http.Request, context));
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));

        var headers = http.Response.Headers.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new ObservedResponse(http.Response.StatusCode, headers, System.Text.Encoding.UTF8.GetString(responseBody.ToArray()));
    }

    /// <summary>A handler that fails after it has started, as a storage call would.</summary>
    public static Func<HttpRequest, RequestContext, Task<IActionResult>> Throwing(Exception exception)
        => async (_, _) =>
        {
            await Task.Yield();
            throw exception;
        };

    /// <summary>128 random bits as 32 lowercase hex digits.</summary>
    [GeneratedRegex("^[0-9a-f]{32}$")]
    public static partial Regex RequestIdPattern();
}

/// <summary>A response as a caller sees it, whether it came from the local host or an in-memory call.</summary>
internal sealed record ObservedResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static async Task<ObservedResponse> FromAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(pair => pair.Key, pair => string.Join(", ", pair.Value), StringComparer.OrdinalIgnoreCase);
        return new ObservedResponse((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }

    public string Header(string name)
    {
        Assert.True(Headers.TryGetValue(name, out var value), $"The response has no {name} header.");
        return value;
    }

    /// <summary>Headers every response carries, whatever it is.</summary>
    public void AssertStandardHeaders()
    {
        Assert.Equal("no-store", Header("Cache-Control"));
        Assert.Equal("no-cache", Header("Pragma"));
        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Matches(EndpointCall.RequestIdPattern(), Header("X-Request-Id"));
    }

    /// <summary>The whole problem document, field by field, and the headers that go with it.</summary>
    public void AssertProblem(ProblemCode code, ProblemLanguage language, string instance = EndpointCall.DefaultPath, string? detail = null)
    {
        Assert.True(code.Status == Status, $"Expected status {code.Status} ({code.Code}), got {Status}: {Body}");
        AssertStandardHeaders();
        Assert.Equal("application/problem+json; charset=utf-8", Header("Content-Type"));
        Assert.Equal(language == ProblemLanguage.English ? "en" : "ja", Header("Content-Language"));

        using var document = JsonDocument.Parse(Body);
        var root = document.RootElement;
        Assert.Equal(
            ["code", "detail", "instance", "requestId", "status", "title", "type"],
            root.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
        Assert.Equal("urn:serverless-case-sharing:problem:" + code.Code, root.GetProperty("type").GetString());
        Assert.Equal(code.Title(language), root.GetProperty("title").GetString());
        Assert.Equal(code.Status, root.GetProperty("status").GetInt32());
        Assert.Equal(detail ?? code.Detail(language), root.GetProperty("detail").GetString());
        Assert.Equal(instance, root.GetProperty("instance").GetString());
        Assert.Equal(code.Code, root.GetProperty("code").GetString());
        Assert.Equal(Header("X-Request-Id"), root.GetProperty("requestId").GetString());
    }
}
