using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Serverless.Notifications.Webhooks;

/// <summary>How webhook connections check the receiver's certificate. Production leaves
/// <see cref="CertificateValidation"/> null: the platform's own validation. Only a test host sets it (to trust its
/// receiver's test certificate); no setting reaches it.</summary>
public sealed class WebhookTlsSettings
{
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }
}

/// <summary>A host that resolved to an address the policy refuses; nothing was sent. Its text names no host.</summary>
public sealed class WebhookAddressRefusedException() : Exception("The webhook's host resolved to an address that is not public.");

/// <summary>
/// The one HTTP client webhooks are sent with: no redirects followed, no proxy (a proxy would connect for us, around
/// the address check), no cookies, short time limits, and a connect callback that resolves the host and refuses the
/// connection when any address is not allowed, then connects to an address it has just checked, so a name that
/// changes between the check and the connection (DNS rebinding) cannot lead inside. TLS still validates the
/// certificate against the URL's host name.
/// </summary>
public sealed class WebhookTransport : IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The whole exchange, up to the response headers (the body is never read).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly WebhookHosts hosts;
    private readonly HttpClient client;

    public WebhookTransport(WebhookHosts hosts, WebhookTlsSettings tls)
    {
        this.hosts = hosts;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = ConnectTimeout,
            // Pooled connections were checked when made; a short lifetime makes new ones (and new checks) often.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 16,
            ConnectCallback = ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = tls.CertificateValidation },
        };
        client = new HttpClient(handler) { Timeout = RequestTimeout };
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public void Dispose() => client.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (await hosts.CheckAsync(context.DnsEndPoint.Host, cancellationToken) is not WebhookHostCheck.Allowed allowed)
        {
            throw new WebhookAddressRefusedException();
        }

        SocketException? last = null;
        foreach (var address in allowed.Addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
