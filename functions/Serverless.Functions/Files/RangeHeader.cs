using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Serverless.Files.Reading;

namespace Serverless.Functions.Files;

/// <summary>
/// Reads <c>Range</c> (RFC 9110 §14.2): one range of bytes is honoured; several ranges, another unit or a malformed
/// header are ignored and the whole file is sent, as the RFC allows. <c>If-Range</c> with any other tag than the file's
/// also sends the whole file (the file is never changed in place, so a strong tag of its digest is the test).
/// </summary>
public static class RangeHeader
{
    public static ByteRangeRequest? Read(HttpRequest request)
    {
        var header = request.Headers.Range.ToString();
        if (header.Length == 0 || !RangeHeaderValue.TryParse(header, out var parsed) || !parsed.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) || parsed.Ranges.Count != 1)
        {
            return null;
        }

        var range = parsed.Ranges.Single();
        var ifRange = request.Headers.IfRange.ToString() is { Length: > 0 } condition ? condition : null;
        return range.From is null ? new ByteRangeRequest(null, null, range.To) { IfRange = ifRange } : new ByteRangeRequest(range.From, range.To, null) { IfRange = ifRange };
    }
}
