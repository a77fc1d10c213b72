namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// Origins a key may be bound to: exactly <c>https://host[:port]</c>, no path, query, fragment or user
/// info, compared in one normal form (lowercase, IDN as punycode, the default port dropped), which is
/// the form browsers put in the <c>Origin</c> header.
/// </summary>
/// <remarks>
/// An origin binding only stops a key from being used by other sites' pages in a browser: a server that
/// holds the key can send any <c>Origin</c> it likes. Address bindings are the strong ones.
/// </remarks>
public static class AllowedOrigins
{
    public static bool TryNormalize(string? value, out string origin)
    {
        origin = "";
        if (string.IsNullOrWhiteSpace(value) || value.Length > 300
            || !value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || value.AsSpan("https://".Length).IndexOfAny("/?#@\\") >= 0
            || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.IdnHost.Length == 0)
        {
            return false;
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        origin = "https://" + host.ToLowerInvariant() + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>True when no origins are bound, or the presented <c>Origin</c> is one of them. A key bound to
    /// origins refuses a request without one (or with <c>Origin: null</c>).</summary>
    public static bool Allows(IReadOnlyList<string> allowed, string? presented)
        => allowed.Count == 0 || (TryNormalize(presented, out var origin) && allowed.Contains(origin, StringComparer.Ordinal));
}
