using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Serverless.Identity.ClientAddresses;

/// <summary>
/// The address of the client, from <c>X-Forwarded-For</c> and the number of proxies we trust.
/// </summary>
/// <remarks>
/// Each proxy appends the address it received the request from. With N trusted proxies the last N
/// entries were written by them, and the client is the entry the outermost trusted proxy wrote: index
/// <c>count - N</c>. Everything left of it came from the client and may be invented, so it is never read.
/// </remarks>
public static class ClientAddress
{
    /// <summary>
    /// Resolves the client address, or null when it cannot be known.
    /// </summary>
    /// <param name="forwardedFor">Every <c>X-Forwarded-For</c> value of the request, in order, joined with
    /// commas (several header lines are one list).</param>
    /// <param name="connectionAddress">The address of the TCP peer (the nearest proxy, or the client with 0 hops).</param>
    /// <param name="trustedHops">Proxies in front of the app (<see cref="NetworkOptions.TrustedProxyHops"/>).</param>
    /// <returns>
    /// With 0 hops, the connection address (the header is ignored: anyone can send it). Otherwise the entry
    /// at <c>count - trustedHops</c>; null when the header is missing, has fewer entries than trusted hops
    /// (a trusted proxy did not write its entry, so the leftmost one may be the client's own invention), or
    /// the chosen entry is not an address. IPv4-mapped IPv6 addresses come back as IPv4.
    /// </returns>
    public static IPAddress? Resolve(string? forwardedFor, IPAddress? connectionAddress, int trustedHops)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trustedHops);
        if (trustedHops == 0)
        {
            return connectionAddress is null ? null : Normalize(connectionAddress);
        }

        if (string.IsNullOrWhiteSpace(forwardedFor))
        {
            return null;
        }

        var entries = forwardedFor.Split(',', StringSplitOptions.TrimEntries);
        if (entries.Length < trustedHops)
        {
            return null;
        }

        return TryParseEntry(entries[entries.Length - trustedHops], out var address) ? address : null;
    }

    /// <summary>Parses one entry: <c>1.2.3.4</c>, <c>1.2.3.4:5678</c>, <c>2001:db8::1</c>, <c>[2001:db8::1]</c>,
    /// <c>[2001:db8::1]:443</c>. Strict: no shortened IPv4 forms (<c>1.2.3</c>), no zone ids, no names.</summary>
    public static bool TryParseEntry(string? entry, out IPAddress? address)
    {
        address = null;
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IsPortSuffix(text.AsSpan(close + 1)))
            {
                return false;
            }

            return TryParseIPv6(text[1..close], out address);
        }

        var colons = text.Count(c => c == ':');
        if (colons == 0)
        {
            return TryParseIPv4(text, out address);
        }

        if (colons == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return IsPortSuffix(text.AsSpan(colon)) && TryParseIPv4(text[..colon], out address);
        }

        return TryParseIPv6(text, out address);
    }

    /// <summary>Parses a bare address strictly (no port, no brackets, no zone id, no shortened IPv4 forms).</summary>
    public static bool TryParseAddress(string? text, out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        return text.Contains(':', StringComparison.Ordinal) ? TryParseIPv6(text, out address) : TryParseIPv4(text, out address);
    }

    /// <summary>IPv4-mapped IPv6 (<c>::ffff:1.2.3.4</c>) as plain IPv4, so ranges and throttling see one address.</summary>
    public static IPAddress Normalize(IPAddress address)
        => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool IsPortSuffix(ReadOnlySpan<char> rest)
        => rest.Length == 0
            || (rest[0] == ':' && rest.Length is > 1 and <= 6 && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535);

    private static bool TryParseIPv4(string text, out IPAddress? address)
    {
        address = null;
        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(part => part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit)))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetwork;
    }

    private static bool TryParseIPv6(string text, out IPAddress? address)
    {
        address = null;
        if (text.Contains('%', StringComparison.Ordinal) || !text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = Normalize(parsed);
        return true;
    }
}
