using Microsoft.AspNetCore.Http;

namespace Serverless.Functions.Http;

/// <summary>Reads a request body as bytes within a size limit (any content type): a declared length over the limit is
/// refused before a byte is read, a chunked body as soon as it crosses it.</summary>
public static class RawBody
{
    /// <summary>The body's bytes, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        return (await JsonBody.ReadLimitedAsync(request.Body, maxBytes, request.HttpContext.RequestAborted))?.ToArray();
    }

    /// <summary>413 <c>request.body-too-large</c>, naming the limit.</summary>
    public static ApiResult TooLarge(RequestContext context, int maxBytes) => JsonBody.TooLarge(context, maxBytes);
}
