namespace Serverless.Identity.Tokens;

/// <summary>
/// The Microsoft sign-in authorities an <c>entra</c> issuer's metadata and issuer must sit under
/// (configuration <c>Authentication:EntraAuthorities</c>, separated by commas, semicolons or spaces).
/// The default is the public cloud's; a sovereign cloud lists its own (e.g. <c>https://login.microsoftonline.us/</c>).
/// Someone who can change app settings therefore cannot point an Entra issuer at a provider of their own
/// without also changing this list, and an issuer outside it stops the app at start.
/// </summary>
public sealed class EntraAuthorityOptions
{
    public const string Key = "Authentication:EntraAuthorities";

    public const string PublicCloud = "https://login.microsoftonline.com/";

    public string EntraAuthorities { get; set; } = PublicCloud;

    /// <summary>The authorities as absolute https URLs ending in '/', or null for an entry that is not one.</summary>
    public IReadOnlyList<(string Setting, Uri? Authority)> Authorities()
        => [.. SettingLists.Split(EntraAuthorities).Order(StringComparer.Ordinal).Select(item => (item, Parse(item)))];

    /// <summary>True when <paramref name="address"/> is an https URL on an authority's host, at or below its path.</summary>
    public static bool IsUnder(string? address, Uri authority)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        return string.Equals(uri.Host, authority.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == authority.Port
            && uri.AbsolutePath.StartsWith(authority.AbsolutePath, StringComparison.Ordinal);
    }

    private static Uri? Parse(string item)
    {
        var withSlash = item.EndsWith('/') ? item : item + "/";
        return Uri.TryCreate(withSlash, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.UserInfo) && uri.Query.Length == 0
            ? uri
            : null;
    }
}
