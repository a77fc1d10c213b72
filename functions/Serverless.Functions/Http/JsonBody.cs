using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Serverless.Problems;

namespace Serverless.Functions.Http;

/// <summary>
/// Reads a JSON request body within a size limit, or says exactly why not. Nothing is stored
/// before this succeeds, so bad input changes nothing.
/// </summary>
public static class JsonBody
{
    /// <summary>Default body limit: a report's text and fields, not its attachments (those go to blob storage).</summary>
    public const int DefaultMaxBytes = 256 * 1024;

    public static async Task<JsonBodyResult<T>> ReadAsync<T>(HttpRequest request, RequestContext context, int maxBytes = DefaultMaxBytes)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return JsonBodyResult<T>.Fail(context.Problem(ProblemCatalogue.UnsupportedMediaType));
        }

        if (request.ContentLength > maxBytes)
        {
            return JsonBodyResult<T>.Fail(TooLarge(context, maxBytes));
        }

        var buffer = await ReadLimitedAsync(request.Body, maxBytes, request.HttpContext.RequestAborted);
        if (buffer is null)
        {
            return JsonBodyResult<T>.Fail(TooLarge(context, maxBytes));
        }

        // A field named twice: refused by name (the path is the caller's own input, echoed to the caller only).
        if (JsonDuplicates.FirstDuplicatePath(buffer.Value.Span) is { } duplicate)
        {
            return JsonBodyResult<T>.Fail(context.Invalid([new Validation.ValidationError(duplicate, Validation.FieldRules.DuplicateProperty)]));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.Value.Span, ApiJson.Options);
            return value is null
                ? JsonBodyResult<T>.Fail(context.Problem(ProblemCatalogue.InvalidJson))
                : JsonBodyResult<T>.Ok(value, buffer.Value);
        }
        catch (JsonException ex)
        {
            // The path and line say where; the exception's own message could quote the value, so it is not used.
            var where = ex.Path ?? "$";
            var detail = context.Language == ProblemLanguage.English
                ? $"The body could not be read as JSON at {where} (line {ex.LineNumber + 1})."
                : $"本文の {where} (行 {ex.LineNumber + 1}) をJSONとして読めませんでした。";
            return JsonBodyResult<T>.Fail(context.Problem(ProblemCatalogue.InvalidJson, detail));
        }
    }

    internal static ApiResult TooLarge(RequestContext context, int maxBytes)
        => context.Problem(
            ProblemCatalogue.BodyTooLarge,
            context.Language == ProblemLanguage.English
                ? $"The body exceeds the limit of {maxBytes} bytes."
                : $"本文が上限の {maxBytes} バイトを超えています。");

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset); // charset="utf-8" is the same as charset=utf-8
        var charsetOk = !mediaType.Charset.HasValue
            || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
        return charsetOk && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; null when the body is longer (chunked bodies have no length to check first).</summary>
    internal static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (copy.Length + read > maxBytes)
            {
                return null;
            }

            copy.Write(chunk, 0, read);
        }

        return copy.ToArray();
    }
}

public sealed record JsonBodyResult<T>(T? Value, ApiResult? Problem)
    where T : class
{
    /// <summary>The body's bytes as received (an idempotent request's fingerprint is taken from them).</summary>
    public ReadOnlyMemory<byte> Bytes { get; init; }

    public static JsonBodyResult<T> Ok(T value, ReadOnlyMemory<byte> bytes) => new(value, null) { Bytes = bytes };

    public static JsonBodyResult<T> Fail(ApiResult problem) => new(null, problem);
}
