using System.ComponentModel.DataAnnotations;

namespace Serverless.Identity.ClientAddresses;

/// <summary>
/// How many proxies in front of the app append to <c>X-Forwarded-For</c> (configuration section
/// <c>Network</c>, e.g. <c>Network:TrustedProxyHops</c>).
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> entries the app reads itself, counted from the right. Default 0: the
    /// connection address. In Azure that is already the client's: the isolated worker's ASP.NET Core integration
    /// (<c>ConfigureFunctionsWebApplication</c>) runs ASP.NET Core's forwarded-headers middleware, which moves the
    /// rightmost entry, the one the platform wrote, into the connection address and removes it from the header,
    /// so reading the header again (1) would read an entry the client wrote itself, or nothing
    /// (<c>ClientAddressTests.InTheWorkersPipeline...</c>). Locally nothing sits in front of the app. Set more only
    /// for proxies of your own that append after the platform; <c>ops/verify</c> checks the value on a deployment.
    /// </summary>
    [Range(0, 10, ErrorMessage = "Network:TrustedProxyHops must be from 0 to 10.")]
    public int TrustedProxyHops { get; set; }
}
