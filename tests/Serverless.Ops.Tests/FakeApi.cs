using System.Text;
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
/// with the status and body a test sets, so verify's HTTP checks run for real.
/// </summary>
/// <remarks>
/// Kestrel binds port 0 and the operating system picks a free port in the same call: no other process
/// can take it in between. (The former HttpListener could not bind port 0, so a port was probed first
/// and bound later; once in a while something took it in between, "Address already in use".)
/// </remarks>
internal sealed class FakeApi : IAsyncDisposable
{
    public const string HealthyBody = """{"status":"healthy","version":"0.1.0","storage":{"tables":"ok","queues":"ok","blobs":"ok"},"deadLetters":{"total":0},"checkedAt":"2026-01-01T00:00:00+00:00"}""";
    public const string UnhealthyBody = """{"status":"unhealthy","version":"0.1.0","storage":{"tables":"unreachable","queues":"ok","blobs":"ok"},"deadLetters":{"total":0},"checkedAt":"2026-01-01T00:00:00+00:00"}""";

    private readonly WebApplication app;
    private bool disposed;

    private FakeApi(WebApplication app, string address)
    {
        this.app = app;
        BaseUrl = address.TrimEnd('/') + "/api";
    }

    public string BaseUrl { get; }

    public int HealthStatus { get; set; } = 200;

    public string HealthBody { get; set; } = HealthyBody;

    /// <summary>What <c>GET /api/cases</c> without a token answers (401 when the app validates tokens).</summary>
    public int CasesStatus { get; set; } = 401;

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
        lock (Requests)
        {
            Requests.Add($"{request.Method} {request.Path}{request.QueryString} auth={(request.Headers.ContainsKey("Authorization") ? "present" : "none")}");
        }

        var (status, body) = request.Path.Value switch
        {
            "/api/health" => (HealthStatus, HealthBody),
            "/api/cases" => (CasesStatus, CasesStatus == 401 ? string.Empty : "[]"),
            _ => (404, string.Empty),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }
}
