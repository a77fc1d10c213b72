using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Serverless.Ops.Tests;

/// <summary>
/// A local stand-in for the deployed API on 127.0.0.1 (a free port): answers <c>/api/health</c> and
/// <c>/api/cases</c> with the status and body a test sets, so verify's HTTP checks run for real.
/// </summary>
internal sealed class FakeApi : IDisposable
{
    public const string HealthyBody = """{"status":"healthy","version":"0.1.0","storage":{"tables":"ok","queues":"ok","blobs":"ok"},"deadLetters":{"total":0},"checkedAt":"2026-01-01T00:00:00+00:00"}""";
    public const string UnhealthyBody = """{"status":"unhealthy","version":"0.1.0","storage":{"tables":"unreachable","queues":"ok","blobs":"ok"},"deadLetters":{"total":0},"checkedAt":"2026-01-01T00:00:00+00:00"}""";

    private readonly HttpListener listener = new();
    private readonly Task loop;
    private bool disposed;

    public FakeApi()
    {
        // HttpListener cannot pick a port itself: take a free one from the OS first.
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                BaseUrl = $"http://127.0.0.1:{port}/api";
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Taken between the probe and the start: try another.
            }
        }

        loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; } = string.Empty;

    public int HealthStatus { get; set; } = 200;

    public string HealthBody { get; set; } = HealthyBody;

    /// <summary>What <c>GET /api/cases</c> without a token answers (401 when the app validates tokens).</summary>
    public int CasesStatus { get; set; } = 401;

    public List<string> Requests { get; } = [];

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url?.AbsolutePath ?? string.Empty;
            lock (Requests)
            {
                Requests.Add($"{context.Request.HttpMethod} {context.Request.Url?.PathAndQuery} auth={(context.Request.Headers["Authorization"] is null ? "none" : "present")}");
            }

            var (status, body) = path switch
            {
                "/api/health" => (HealthStatus, HealthBody),
                "/api/cases" => (CasesStatus, CasesStatus == 401 ? string.Empty : "[]"),
                _ => (404, string.Empty),
            };
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
