using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Serverless.Agencies;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Cases.Api;

/// <summary>
/// The case endpoints as a caller uses them, over a fresh <see cref="TestHost"/> with the demo agencies
/// saved. The clock stands at 00:30 on 16 June 2025 in Japan, which is still 15 June in UTC, so every
/// "today" the API decides is visibly Japan's.
/// </summary>
internal sealed partial class CaseApi : IAsyncDisposable
{
    public const string Coordinator = "coordinator-sato";

    public static readonly DateTimeOffset Now = new(2025, 6, 15, 15, 30, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = new(2025, 6, 16);

    private static readonly JsonSerializerOptions Send = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private CaseApi(TestHost host) => Host = host;

    public TestHost Host { get; }

    /// <param name="backgroundTriggers">Run the queue listeners and timers (the clock stays at <see cref="Now"/>, so timers never fire).</param>
    /// <param name="settings">Configuration that replaces the test host's.</param>
    /// <param name="services">Services that replace the host's (e.g. storage clients on another Azurite).</param>
    /// <param name="now">Where the fake clock starts instead of <see cref="Now"/> (e.g. the real time, for a SAS storage checks).</param>
    /// <param name="hostSettings">Shorter queue timings than host.json's (see <see cref="TestHost.StartAsync"/>).</param>
    public static async Task<CaseApi> StartAsync(bool backgroundTriggers = false, IReadOnlyDictionary<string, string>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null, DateTimeOffset? now = null, Action<Serverless.DevHost.HostSettings>? hostSettings = null)
    {
        var host = await TestHost.StartAsync(backgroundTriggers: backgroundTriggers, clock: new FakeTimeProvider(now ?? Now), settings: settings, services: services, hostSettings: hostSettings);
        await host.SaveDemoAgenciesAsync();

        return new CaseApi(host);
    }

    /// <summary>A minimal valid requiring-protection case; the child's names carry a random tag so no two tests' children match.</summary>
    public static JsonObject ValidRecord()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        return new JsonObject
        {
            ["category"] = "requiring-protection",
            ["child"] = new JsonObject
            {
                ["name"] = new JsonObject
                {
                    ["family"] = "試験" + string.Concat(tag.Select(c => "一二三四五六七八九十百千万山川森"[Convert.ToInt32(c.ToString(), 16)])),
                    ["given"] = "太郎",
                    ["familyKana"] = "テスト" + string.Concat(tag.Select(c => "アイウエオカキクケコサシスセソタ"[Convert.ToInt32(c.ToString(), 16)])),
                    ["givenKana"] = "タロウ",
                },
                ["birthDate"] = "2016-04-01",
            },
            ["leadAgencyId"] = "midori-kodomo-ka",
        };
    }

    /// <summary>
    /// Names on the record every demo member of an agency that is on it (lead, key or participant),
    /// as a coordinator would, except <c>teacher-kimura</c>: the one left unnamed on purpose.
    /// </summary>
    public static JsonObject NameDemoStaff(JsonObject record)
    {
        var agencies = new HashSet<string>(StringComparer.Ordinal) { (string)record["leadAgencyId"]! };
        if (record["keyAgencyId"] is JsonValue key)
        {
            agencies.Add((string)key!);
        }

        foreach (var participation in record["participants"]?.AsArray() ?? [])
        {
            agencies.Add((string)participation!["agencyId"]!);
        }

        record["staff"] = new JsonArray(Serverless.DevHost.DemoPeople.People
            .Where(person => person.Role == Serverless.Identity.CallerRole.Member && person.Subject != "teacher-kimura" && agencies.Contains(person.AgencyId))
            .Select(person => (JsonNode)new JsonObject { ["personId"] = person.PersonId, ["agencyId"] = person.AgencyId })
            .ToArray());
        return record;
    }

    /// <summary><c>POST /api/cases</c>; <paramref name="person"/> null sends no Authorization.</summary>
    public Task<HttpResponseMessage> CreateAsync(JsonNode record, string? person = Coordinator, IEnumerable<string>? confirmed = null, string? language = null)
    {
        var body = new JsonObject { ["record"] = record.DeepClone() };
        if (confirmed is not null)
        {
            body["confirmedNotDuplicateOf"] = new JsonArray([.. confirmed.Select(id => JsonValue.Create(id))]);
        }

        return SendAsync(HttpMethod.Post, "api/cases", person, Json(body), request => Language(request, language));
    }

    /// <summary>Creates a case that must be accepted, and returns its id.</summary>
    public async Task<string> CreateIdAsync(JsonNode record)
    {
        using var response = await CreateAsync(record);
        var body = await BodyAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body.ToJsonString());
        return (string)body["caseId"]!;
    }

    public Task<HttpResponseMessage> GetAsync(string caseId, string? person = Coordinator)
        => SendAsync(HttpMethod.Get, "api/cases/" + caseId, person);

    /// <summary><c>PATCH /api/cases/{caseId}</c>; <paramref name="etag"/> null sends no If-Match, <paramref name="reason"/> null no reason.</summary>
    public Task<HttpResponseMessage> PatchAsync(string caseId, string? etag, string? reason, JsonNode changes, string? person = Coordinator)
    {
        var body = new JsonObject { ["changes"] = changes.DeepClone() };
        if (reason is not null)
        {
            body["reason"] = reason;
        }

        return PatchRawAsync(caseId, etag, Json(body), person);
    }

    public Task<HttpResponseMessage> PatchRawAsync(string caseId, string? etag, HttpContent content, string? person = Coordinator)
        => SendAsync(HttpMethod.Patch, "api/cases/" + caseId, person, content, request =>
        {
            if (etag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", etag);
            }
        });

    public Task<HttpResponseMessage> HistoryAsync(string caseId, string query = "", string? person = Coordinator)
        => SendAsync(HttpMethod.Get, $"api/cases/{caseId}/history{query}", person);

    public Task<HttpResponseMessage> ListAsync(string query, string? person = Coordinator)
        => SendAsync(HttpMethod.Get, "api/cases" + query, person);

    public Task<HttpResponseMessage> SearchAsync(JsonNode criteria, string? person = Coordinator)
        => SendAsync(HttpMethod.Post, "api/cases/search", person, Json(criteria));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? person, HttpContent? content = null, Action<HttpRequestMessage>? arrange = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (person is not null)
        {
            Host.SignIn(request, person);
        }

        arrange?.Invoke(request);
        return await Host.Client.SendAsync(request);
    }

    /// <summary>A JSON body as UTF-8 text, with characters beyond the BMP (𠮷) as themselves rather than \u escapes.</summary>
    public static StringContent Json(JsonNode body)
    {
        var text = EscapedSurrogatePair().Replace(body.ToJsonString(Send), match => char.ConvertFromUtf32(char.ConvertToUtf32(
            (char)Convert.ToInt32(match.Groups[1].Value, 16), (char)Convert.ToInt32(match.Groups[2].Value, 16))));
        return new StringContent(text, Encoding.UTF8, "application/json");
    }

    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static string? ETag(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    /// <summary>Asserts a problem answer with <paramref name="code"/> and returns its body.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, ProblemCode code, ProblemLanguage language = ProblemLanguage.Japanese)
    {
        var body = await BodyAsync(response);
        Assert.True(code.Status == (int)response.StatusCode, $"Expected {code.Status} {code.Code}, got {(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.Equal("application/problem+json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(code.Code, (string?)body["code"]);
        Assert.Equal("urn:serverless-case-sharing:problem:" + code.Code, (string?)body["type"]);
        Assert.Equal(code.Title(language), (string?)body["title"]);
        Assert.Equal(code.Status, (int?)body["status"]);
        return body;
    }

    /// <summary>Asserts 400 validation-failed with exactly these field errors (in order) and returns them.</summary>
    public static async Task<JsonArray> ValidationErrorsAsync(HttpResponseMessage response, params (string Field, string Code)[] expected)
    {
        var body = await ProblemAsync(response, ProblemCatalogue.ValidationFailed, LanguageOf(response));
        var errors = body["errors"]!.AsArray();
        Assert.Equal(expected, errors.Select(error => ((string)error!["field"]!, (string)error["code"]!)));
        return errors;
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();

    private static ProblemLanguage LanguageOf(HttpResponseMessage response)
        => response.Content.Headers.ContentLanguage.Contains("en") ? ProblemLanguage.English : ProblemLanguage.Japanese;

    private static void Language(HttpRequestMessage request, string? language)
    {
        if (language is not null)
        {
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        }
    }

    [GeneratedRegex(@"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", RegexOptions.IgnoreCase)]
    private static partial Regex EscapedSurrogatePair();
}
