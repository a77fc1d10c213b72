namespace Serverless.Transfers.Partners;

/// <summary>
/// A partner's intake endpoint: an absolute https URL with a host and no user information. Plain http only to this
/// machine (127.0.0.1, ::1, localhost) and only while the app runs on the local emulator (development and tests).
/// </summary>
public static class PartnerEndpoint
{
    public static bool IsValid(string? text, bool development)
        => text is { Length: > 0 and <= TransferPartnerLimits.MaxEndpointUrlLength }
            && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '|' or '"' or '\'')
            && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && uri.Host.Length > 0
            && uri.UserInfo.Length == 0
            && uri.Fragment.Length == 0
            && (uri.Scheme == Uri.UriSchemeHttps || (development && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
