using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Serverless.Identity.ClientAddresses;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// Address ranges a key may be bound to: IPv4 or IPv6 addresses or CIDR ranges (<c>192.0.2.10</c>,
/// <c>192.0.2.0/24</c>, <c>2001:db8:1::/48</c>), kept in CIDR form (a single address as /32 or /128).
/// </summary>
public static class AllowedAddresses
{
    /// <summary>Parses strictly: a range whose address has bits set beyond its prefix (<c>10.0.0.1/8</c>) is
    /// refused rather than guessed at, and so are IPv4-mapped IPv6 forms (client addresses are compared as IPv4).</summary>
    public static bool TryNormalize(string? value, out string range)
    {
        range = "";
        if (string.IsNullOrWhiteSpace(value) || value.Length > 60)
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? value : value[..slash];
        // An IPv6 text that parses to IPv4 was IPv4-mapped: its prefix would mean something else in each family.
        if (!ClientAddress.TryParseAddress(addressText, out var address)
            || (addressText.Contains(':', StringComparison.Ordinal) && address!.AddressFamily == AddressFamily.InterNetwork))
        {
            return false;
        }

        var maxPrefix = address!.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = value[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix)
            {
                return false;
            }
        }

        // .NET 10 quietly clears host bits (10.0.0.1/8 becomes 10.0.0.0/8): an admin who typed that may
        // have meant a single address, so ask instead of widening the binding.
        if (!IPNetwork.TryParse(address + "/" + prefix.ToString(CultureInfo.InvariantCulture), out var network) || !network.BaseAddress.Equals(address))
        {
            return false;
        }

        range = network.ToString();
        return true;
    }

    /// <summary>True when no ranges are bound, or the client address is in one of them. A key bound to
    /// addresses refuses a request whose address is unknown.</summary>
    public static bool Allows(IReadOnlyList<string> allowed, IPAddress? clientAddress)
    {
        if (allowed.Count == 0)
        {
            return true;
        }

        if (clientAddress is null)
        {
            return false;
        }

        var address = ClientAddress.Normalize(clientAddress);
        return allowed.Any(range => IPNetwork.TryParse(range, out var network) && network.Contains(address));
    }
}
