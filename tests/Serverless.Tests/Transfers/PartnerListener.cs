using System.Net;
using System.Net.Sockets;

namespace Serverless.Tests.Transfers;

/// <summary>
/// A partner's intake endpoint on this machine: records each request and answers with one status. With
/// <c>hold</c>, each answer waits until <see cref="Release"/> (a slow partner: an attempt stays in flight).
/// </summary>
internal sealed class PartnerListener : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource firstReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PartnerListener(HttpStatusCode status, bool hold = false)
    {
        if (!hold)
        {
            released.SetResult();
        }

        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = $"http://127.0.0.1:{port}/api/transfers/incoming";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    lock (Received)
                    {
                        Received.Add(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                    }

                    firstReceived.TrySetResult();
                    await released.Task;
                    context.Response.StatusCode = (int)status;
                    context.Response.Close();
                });
            }
        });
    }

    public string Endpoint { get; }

    public List<ReceivedRequest> Received { get; } = [];

    /// <summary>Completes once the first request's body has arrived.</summary>
    public Task FirstReceived => firstReceived.Task;

    /// <summary>Lets every held answer (and every later one) go.</summary>
    public void Release() => released.TrySetResult();

    public void Dispose()
    {
        Release();
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}

internal sealed record ReceivedRequest(string Method, string Path, string? ContentType, byte[] Body);
