using System.Text;
using System.Text.Json;

namespace Serverless.Storage;

/// <summary>
/// Paging tokens handed to clients: the storage's own token, bound to the query it came from, so a
/// token from one query (one partition, one case) cannot be replayed against another. Base64url: they
/// travel in URLs, and hold ids, dates and row keys only.
/// </summary>
public static class ContinuationTokens
{
    public static string Encode(string scope, string storageToken)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { scope, storageToken }))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The storage token, or null when <paramref name="token"/> is not one of ours for <paramref name="scope"/>.</summary>
    public static string? Decode(string token, string scope)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            return parts is [var tokenScope, var storageToken] && tokenScope == scope ? storageToken : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
