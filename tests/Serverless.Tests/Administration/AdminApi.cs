using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serverless.Audit;
using Serverless.Identity.People;
using Serverless.Identity.Tokens;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Http;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Administration;

/// <summary>
/// The administration and sign-in endpoints as callers use them, over a fresh <see cref="TestHost"/> on a
/// fake clock (tokens are minted on that clock, so moving it never expires the caller's sign-in). The
/// clock stands at 08:30 on 1 December 2026 in Japan, still 30 November in UTC. It moves 1 ms after
/// each request, as real time would: audit entry ids start with the UTC ticks, so on a frozen clock the
/// entries of different requests would sort at random.
/// </summary>
internal sealed class AdminApi : IAsyncDisposable
{
    public const string Admin = "admin-kobayashi";
    public const string Coordinator = "coordinator-sato";
    public const string OtherCoordinator = "coordinator-mori";
    public const string Teacher = "teacher-tanaka";
    public const string Auditor = "auditor-watanabe";
    public const string School = "minami-shogakko";
    public const string Nursery = "hikari-hoikuen";

    public static readonly DateTimeOffset DefaultNow = new(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);

    private AdminApi(TestHost host, FakeTimeProvider clock, DateTimeOffset start)
    {
        Host = host;
        Clock = clock;
        Start = start;
    }

    public TestHost Host { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>When the clock started: audit queries look from a day before it.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Japan's date on the host clock.</summary>
    public DateOnly Today => Serverless.Time.JapanTime.Today(Clock);

    /// <param name="telemetry">Application Insights on, into <see cref="TestHost.Telemetry"/>.</param>
    /// <param name="settings">Configuration that replaces the test host's (e.g. <c>Transfers:MunicipalityCode</c>).</param>
    public static async Task<AdminApi> StartAsync(DateTimeOffset? now = null, bool telemetry = false, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        var start = now ?? DefaultNow;
        var clock = new FakeTimeProvider(start);
        return new AdminApi(await TestHost.StartAsync(clock: clock, telemetry: telemetry, settings: settings, services: services), clock, start);
    }

    /// <summary>The person id a development-issuer subject signs in as.</summary>
    public static string PersonId(string subject) => PersonIds.For(DevelopmentTokens.IssuerName, subject);

    /// <summary>Sends a request as <paramref name="subject"/> (a development-issuer bearer token minted now on
    /// the host clock); null sends no Authorization.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? subject, JsonNode? body = null, Action<HttpRequestMessage>? arrange = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : CaseApi.Json(body) };
        if (subject is not null)
        {
            Host.SignIn(request, subject);
        }

        arrange?.Invoke(request);
        return await RunAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? subject, Action<HttpRequestMessage>? arrange = null)
        => SendAsync(HttpMethod.Get, path, subject, null, arrange);

    public Task<HttpResponseMessage> PostAsync(string path, string? subject, JsonNode body, Action<HttpRequestMessage>? arrange = null)
        => SendAsync(HttpMethod.Post, path, subject, body, arrange);

    /// <summary>A request with <c>Authorization: SubmissionKey {key}</c> from <paramref name="forwardedFor"/>.</summary>
    public async Task<HttpResponseMessage> WithKeyAsync(HttpMethod method, string path, string key, string? forwardedFor = "203.0.113.10")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", "SubmissionKey " + key);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return await RunAsync(request);
    }

    public async Task<HttpResponseMessage> RunAsync(HttpRequestMessage request)
    {
        var response = await Host.Client.SendAsync(request);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        return response;
    }

    /// <summary>Registers a development-issuer person (must succeed) and returns their person id.</summary>
    public async Task<string> RegisterAsync(string subject, string displayName = "阿部 新")
    {
        using var response = await PostAsync("api/admin/people", Admin, new JsonObject { ["issuer"] = DevelopmentTokens.IssuerName, ["subject"] = subject, ["displayName"] = displayName });
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, body.ToJsonString());
        return (string)body["personId"]!;
    }

    public static JsonObject Grant(string agencyId, string role, DateOnly validFrom, DateOnly? validTo = null)
    {
        var body = new JsonObject { ["agencyId"] = agencyId, ["role"] = role, ["validFrom"] = validFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };
        if (validTo is { } to)
        {
            body["validTo"] = to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        return body;
    }

    /// <summary>Grants a membership (must succeed) and returns its id.</summary>
    public async Task<string> GrantAsync(string personId, JsonObject grant, string grantor = Admin)
    {
        using var response = await PostAsync($"api/admin/people/{personId}/memberships", grantor, grant);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["membershipId"]!;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Issues a key for <paramref name="agencyId"/> (must succeed): the key and its id.</summary>
    public async Task<(string Key, string KeyId)> IssueKeyAsync(string agencyId = School, JsonObject? body = null)
    {
        using var response = await PostAsync($"api/admin/agencies/{agencyId}/submission-keys", Admin, body ?? new JsonObject { ["label"] = "通告フォーム" });
        var json = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        return ((string)json["key"]!, (string)json["info"]!["keyId"]!);
    }

    /// <summary>The outcome entries an actor left, oldest first (the intents are left out).</summary>
    public async Task<IReadOnlyList<AuditRecord>> AuditOutcomesAsync(string actorId)
    {
        var outcome = await Host.Get<AuditQuery>().ByActorAsync(actorId, Start.AddDays(-1), Clock.GetUtcNow().AddDays(1), AuditQuery.MaxPageSize, null, CancellationToken.None);
        var page = Assert.IsType<AuditQueryOutcome.Done>(outcome).Page;
        Assert.Null(page.ContinuationToken);
        return [.. page.Entries.Where(entry => entry.Kind != AuditEntryKinds.Intent)];
    }

    /// <summary>Asserts a complete problem answer, with its instance the request path.</summary>
    public static async Task<ObservedResponse> AssertProblemAsync(HttpResponseMessage response, ProblemCode code, string path, string? detail = null)
    {
        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(code, ProblemLanguage.Japanese, instance: "/" + path.Split('?')[0], detail: detail);
        return observed;
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
