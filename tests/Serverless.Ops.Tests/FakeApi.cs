using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serverless.Ops.Tests;

/// <summary>
/// A local stand-in for the deployed API on 127.0.0.1: answers <c>/api/health</c> and <c>/api/cases</c>
/// with the status and body a test sets, so verify's HTTP checks run for real. The health answer also
/// carries <c>clientAddress</c>, the caller's address as the app would resolve it, the way
/// <see cref="ClientAddressAnswer"/> chooses.
/// </summary>
/// <remarks>
/// Kestrel binds port 0 and the operating system picks a free port in the same call: no other process
/// can take it in between. (The former HttpListener could not bind port 0, so a port was probed first
/// and bound later; once in a while something took it in between, "Address already in use".)
/// </remarks>
internal sealed class FakeApi : IAsyncDisposable
{
    public const string HealthyBody = """{"status":"healthy","version":"0.1.0","storage":{"tables":"ok","queues":"ok","blobs":"ok"},"deadLetters":{"total":0},"checkedAt":"2026-01-01T00:00:00+00:00"}""";
    /// <summary>Where the fake's callers come from by default (TEST-NET-3, RFC 5737).</summary>
    public const string DefaultClientAddress = "203.0.113.5";

    /// <summary>What <see cref="ClientAddressAnswer.ChangesWhenForwarded"/> answers to a request with X-Forwarded-For (TEST-NET-2).</summary>
    public const string OtherClientAddress = "198.51.100.7";

    public const string UnhealthyBody = """{"status":"unhealthy","version":"0.1.0","storage":{"tables":"unreachable","queues":"ok","blobs":"ok"},"deadLetters":{"total":0},"checkedAt":"2026-01-01T00:00:00+00:00"}""";

    private static readonly JsonSerializerOptions Compact = new();
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly WebApplication app;
    private bool disposed;

    private FakeApi(WebApplication app, string address)
    {
        this.app = app;
        BaseUrl = address.TrimEnd('/') + "/api";
    }

    public string BaseUrl { get; }

    public int HealthStatus { get; set; } = 200;

    /// <summary>The health answer without <c>clientAddress</c>; a JSON object gets it added as <see cref="ClientAddressAnswer"/> says.</summary>
    public string HealthBody { get; set; } = HealthyBody;

    /// <summary>How the health answer reports the caller's <c>clientAddress</c>.</summary>
    public ClientAddressAnswer ClientAddressAnswer { get; set; } = ClientAddressAnswer.Fixed;

    /// <summary>The caller's address as the app resolves it (JSON null when null): what <see cref="ClientAddressAnswer.Fixed"/>
    /// answers, and what the other answers give to a request without X-Forwarded-For.</summary>
    public string? ClientAddress { get; set; } = DefaultClientAddress;

    /// <summary>Writes the health answer indented (<c>"clientAddress": ...</c> on its own line), as some proxies reformat it.</summary>
    public bool IndentsHealthAnswer { get; set; }

    /// <summary>What <c>GET /api/cases</c> without a token answers (401 when the app validates tokens).</summary>
    public int CasesStatus { get; set; } = 401;

    /// <summary>One line per request: <c>GET /api/health auth=none</c>, with <c> xff=VALUE</c> appended when the
    /// request carried X-Forwarded-For (several header lines joined with ", ").</summary>
    public List<string> Requests { get; } = [];

    public static async Task<FakeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeApi? api = null;
        app.Run(context => api!.AnswerAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        api = new FakeApi(app, address);
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var forwardedFor = request.Headers.TryGetValue("X-Forwarded-For", out var values) ? string.Join(", ", values.ToArray()) : null;
        lock (Requests)
        {
            Requests.Add(
                $"{request.Method} {request.Path}{request.QueryString} auth={(request.Headers.ContainsKey("Authorization") ? "present" : "none")}"
                + (forwardedFor is null ? string.Empty : $" xff={forwardedFor}"));
        }

        var (status, body) = request.Path.Value switch
        {
            "/api/health" => (HealthStatus, HealthAnswer(forwardedFor)),
            "/api/cases" => (CasesStatus, CasesStatus == 401 ? string.Empty : "[]"),
            _ => (404, string.Empty),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    private string HealthAnswer(string? forwardedFor)
    {
        if (JsonNode.Parse(HealthBody) is not JsonObject answer)
        {
            return HealthBody;
        }

        var lastForwarded = forwardedFor?.Split(',', StringSplitOptions.TrimEntries)[^1];
        switch (ClientAddressAnswer)
        {
            case ClientAddressAnswer.Fixed:
                answer["clientAddress"] = ClientAddress;
                break;
            case ClientAddressAnswer.Null:
                answer["clientAddress"] = null;
                break;
            case ClientAddressAnswer.LastForwardedFor:
                answer["clientAddress"] = lastForwarded ?? ClientAddress;
                break;
            case ClientAddressAnswer.ChangesWhenForwarded:
                answer["clientAddress"] = forwardedFor is null ? ClientAddress : OtherClientAddress;
                break;
            case ClientAddressAnswer.Omitted:
                break;
        }

        return answer.ToJsonString(IndentsHealthAnswer ? Indented : Compact);
    }
}

/// <summary>How the fake health answer reports <c>clientAddress</c>.</summary>
internal enum ClientAddressAnswer
{
    /// <summary><see cref="FakeApi.ClientAddress"/> whatever the request says: a hop count that matches the platform.</summary>
    Fixed,

    /// <summary>Always null: the app cannot resolve anyone (too few X-Forwarded-For entries for its hop count).</summary>
    Null,

    /// <summary>No <c>clientAddress</c> property at all (an app from before it).</summary>
    Omitted,

    /// <summary>The last X-Forwarded-For entry when there is one (here, with no front end appending, the client's own
    /// invention), otherwise <see cref="FakeApi.ClientAddress"/>: an app that believes a forged header.</summary>
    LastForwardedFor,

    /// <summary><see cref="FakeApi.ClientAddress"/> without X-Forwarded-For, <see cref="FakeApi.OtherClientAddress"/> with it.</summary>
    ChangesWhenForwarded,
}
