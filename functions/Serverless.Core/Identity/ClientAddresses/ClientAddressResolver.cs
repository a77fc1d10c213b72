using System.Net;
using Microsoft.Extensions.Options;

namespace Serverless.Identity.ClientAddresses;

/// <summary><see cref="ClientAddress.Resolve"/> with the configured <see cref="NetworkOptions.TrustedProxyHops"/>.</summary>
public sealed class ClientAddressResolver(IOptions<NetworkOptions> options)
{
    public int TrustedHops { get; } = options.Value.TrustedProxyHops;

    /// <inheritdoc cref="ClientAddress.Resolve"/>
    public IPAddress? Resolve(string? forwardedFor, IPAddress? connectionAddress)
        => ClientAddress.Resolve(forwardedFor, connectionAddress, TrustedHops);
}
