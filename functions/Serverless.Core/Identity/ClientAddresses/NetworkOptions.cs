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
    /// Proxies we run or trust, each appending the address it saw. Default 1: the Azure Functions /
    /// App Service front end, which we assume appends the caller's address (Microsoft documents this
    /// for Front Door and Application Gateway; for the App Service front end it is our reading of
    /// observed behaviour, not a documented guarantee: check with a deployed probe). Put Front Door
    /// in front and it becomes 2. Locally, with no proxy, set 0 to use the connection address.
    /// </summary>
    [Range(0, 10, ErrorMessage = "Network:TrustedProxyHops must be from 0 to 10.")]
    public int TrustedProxyHops { get; set; } = 1;
}
