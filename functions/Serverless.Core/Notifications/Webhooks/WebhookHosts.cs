using System.Net;
using System.Net.Sockets;

namespace Serverless.Notifications.Webhooks;

/// <summary>Turns a webhook's host name into addresses. Injected so a test can make a name resolve to one address
/// at registration and to another at sending (DNS rebinding).</summary>
public interface IWebhookHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>What checking a host came to.</summary>
public abstract record WebhookHostCheck
{
    /// <summary>Every address the host resolved to is allowed; connect to one of these and nothing else.</summary>
    public sealed record Allowed(IReadOnlyList<IPAddress> Addresses) : WebhookHostCheck;

    /// <summary>At least one address is not public: refused, whatever the others are (a resolver may hand out either).</summary>
    public sealed record Refused : WebhookHostCheck;

    /// <summary>The name did not resolve.</summary>
    public sealed record Unresolvable : WebhookHostCheck;
}

/// <summary>Resolves a webhook's host and judges every address it resolves to, at registration and again for every
/// connection (<see cref="WebhookTransport"/>), so a name that later points inside is refused then too.</summary>
public sealed class WebhookHosts(IWebhookHostResolver resolver, IWebhookAddressPolicy policy)
{
    public async Task<WebhookHostCheck> CheckAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolver.ResolveAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                return new WebhookHostCheck.Unresolvable();
            }
        }

        return addresses.Length == 0 ? new WebhookHostCheck.Unresolvable()
            : addresses.All(policy.Allows) ? new WebhookHostCheck.Allowed(addresses)
            : new WebhookHostCheck.Refused();
    }
}
