using System.Net;
using System.Net.Sockets;

namespace Serverless.Notifications.Webhooks;

/// <summary>Which addresses a webhook may connect to. Injected so that the tests' receiver on loopback can be
/// reached; only a test host replaces <see cref="PublicAddressPolicy"/>, never a setting an operator could flip.</summary>
public interface IWebhookAddressPolicy
{
    bool Allows(IPAddress address);
}

/// <summary>
/// Only public unicast addresses: never this machine, the private networks, the cloud's metadata service
/// (169.254.169.254), carrier-grade NAT, link-local, multicast, documentation or otherwise reserved ranges
/// (IANA special-purpose registries), so a webhook cannot be aimed at the app's own network. IPv4-mapped IPv6
/// addresses are judged as the IPv4 address they carry; of IPv6 only global unicast (2000::/3) is public, less its
/// special-purpose blocks (6to4 and Teredo carry IPv4 addresses, so they are refused too).
/// </summary>
public sealed class PublicAddressPolicy : IWebhookAddressPolicy
{
    private static readonly IPNetwork[] RefusedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network", 0.0.0.0
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, the metadata service 169.254.169.254 included
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"),     // documentation (TEST-NET-1)
        IPNetwork.Parse("192.88.99.0/24"),   // 6to4 relay anycast (deprecated)
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("198.51.100.0/24"),  // documentation (TEST-NET-2)
        IPNetwork.Parse("203.0.113.0/24"),   // documentation (TEST-NET-3)
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, and the broadcast address
    ];

    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] RefusedV6 =
    [
        IPNetwork.Parse("2001::/23"),        // IETF protocol assignments, Teredo (2001::/32) included
        IPNetwork.Parse("2001:db8::/32"),    // documentation
        IPNetwork.Parse("2002::/16"),        // 6to4: carries an IPv4 address
        IPNetwork.Parse("3fff::/20"),        // documentation (2024)
    ];

    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !RefusedV4.Any(network => network.Contains(address)),
            AddressFamily.InterNetworkV6 => GlobalUnicastV6.Contains(address) && !RefusedV6.Any(network => network.Contains(address)),
            _ => false,
        };
    }
}
