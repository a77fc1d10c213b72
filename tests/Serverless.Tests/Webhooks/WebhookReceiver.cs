using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Serverless.Tests.Webhooks;

/// <summary>One request a webhook receiver got: method, path and query, headers, body.</summary>
internal sealed record ReceivedRequest(string Method, string PathAndQuery, IHeaderDictionary Headers, string Body);

/// <summary>
/// A webhook receiver on 127.0.0.1 over HTTPS (Kestrel), with a self-signed certificate made for the test (names
/// <see cref="HostName"/>, localhost and 127.0.0.1). It keeps every request and answers with what
/// <see cref="Answer"/> says (200 by default). Only this machine: nothing in these tests reaches another address.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>The name the tests' fake resolver turns into 127.0.0.1.</summary>
    public const string HostName = "receiver.test";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();

    private WebhookReceiver(WebApplication app, X509Certificate2 certificate, int port)
    {
        this.app = app;
        Certificate = certificate;
        Port = port;
    }

    public X509Certificate2 Certificate { get; }

    public int Port { get; }

    /// <summary>What to answer a request: its status and, for a redirect, the Location.</summary>
    public Func<ReceivedRequest, (int Status, string? Location)> Answer { get; set; } = _ => (200, null);

    /// <summary>How long to wait before answering (a slow receiver).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

    /// <summary>A URL on this receiver under <see cref="HostName"/>.</summary>
    public string Url(string pathAndQuery) => $"https://{HostName}:{Port}{pathAndQuery}";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var received = new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), await reader.ReadToEndAsync());
            receiver!.requests.Enqueue(received);
            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            var (status, location) = receiver.Answer(received);
            context.Response.StatusCode = status;
            if (location is not null)
            {
                context.Response.Headers.Location = location;
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        receiver = new WebhookReceiver(app, certificate, address.Port);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Certificate.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + HostName, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel on Linux wants a certificate whose key came from a PKCS#12 blob.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
