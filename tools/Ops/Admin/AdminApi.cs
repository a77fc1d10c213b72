using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Ops.Admin;

/// <summary>
/// Where the admin commands find the API and who they are: <c>--api</c> (or <c>SERVERLESS_API</c>) and
/// a bearer token of an admin or coordinator (<c>SERVERLESS_TOKEN</c>, or <c>--token</c>; e.g.
/// <c>az account get-access-token --resource api://...</c>). These commands go through the API like any
/// client, so every change is checked and audited there; the ops tool needs no data access for them.
/// </summary>
internal sealed class AdminApi
{
    public Option<string> Api { get; } = new("--api")
    {
        Description = "Base URL of the API, e.g. https://<app>.azurewebsites.net (default: SERVERLESS_API).",
        Recursive = true,
    };

    public Option<string> Token { get; } = new("--token")
    {
        Description = "Bearer token of an admin or coordinator (default: SERVERLESS_TOKEN; prefer the variable: a command line is visible to other users of the machine).",
        Recursive = true,
    };

    /// <summary>For tests: the handler the HTTP client sends through (the real network otherwise).</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Sends one request; prints the answer's JSON to <paramref name="output"/>, or the problem to <paramref name="error"/>.</summary>
    public async Task<int> SendAsync(ParseResult parseResult, HttpMethod method, string path, JsonNode? body, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var api = parseResult.GetValue(Api) ?? Environment.GetEnvironmentVariable("SERVERLESS_API");
        var token = parseResult.GetValue(Token) ?? Environment.GetEnvironmentVariable("SERVERLESS_TOKEN");
        if (string.IsNullOrWhiteSpace(api) || !Uri.TryCreate(api.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri))
        {
            throw new UsageException("Give the API's base URL with --api or SERVERLESS_API.");
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw new UsageException("Give an admin's or coordinator's bearer token in SERVERLESS_TOKEN (or --token).");
        }

        if (baseUri.Scheme != Uri.UriSchemeHttps && !baseUri.IsLoopback)
        {
            throw new UsageException("--api must use https (plain http only on this machine): the token would travel in clear.");
        }

        using var client = Handler is null ? new HttpClient() : new HttpClient(Handler, disposeHandler: false);
        client.BaseAddress = baseUri;
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        request.Headers.AcceptLanguage.ParseAdd("ja, en;q=0.5");
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            await output.WriteLineAsync(Indented(text));
            return ExitCodes.Ok;
        }

        await error.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}");
        await error.WriteLineAsync(Indented(text));
        return ExitCodes.Failure;
    }

    private static string Indented(string json)
    {
        try
        {
            return JsonNode.Parse(json)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
