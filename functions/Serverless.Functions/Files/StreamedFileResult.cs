using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Files;
using Serverless.Files.Reading;
using Serverless.Functions.Http;

namespace Serverless.Functions.Files;

/// <summary>
/// A stored file sent as a download, streamed from storage to the caller: always <c>attachment</c> with its name in
/// <c>filename*</c> (RFC 6266, RFC 8187), the content type validation decided (never the uploaded one), a sandbox CSP
/// so that even a browser told to render it runs nothing, and 206 with <c>Content-Range</c> for a byte range.
/// <c>nosniff</c> and <c>no-store</c> come with every answer (<see cref="StandardHeadersResult"/>).
/// </summary>
public sealed class StreamedFileResult(FileContent content) : IActionResult, IStatusResult
{
    /// <summary>Nothing in a downloaded file may run, load or navigate, whatever a browser makes of it.</summary>
    public const string ContentSecurityPolicy = "sandbox; default-src 'none'";

    public int Status => content.Range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        await using var _ = content;
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        response.ContentType = content.ContentType;
        response.Headers.ContentDisposition = ContentDisposition.Attachment(content.DownloadName);
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
        response.Headers.AcceptRanges = "bytes";
        if (content.Sha256.Length > 0)
        {
            response.Headers.ETag = ETagOf(content.Sha256);
        }

        if (content.Range is { } range)
        {
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.From}-{range.To}/{content.Length}");
            response.ContentLength = range.To - range.From + 1;
        }
        else
        {
            response.ContentLength = content.Length;
        }

        await content.Content.CopyToAsync(response.Body, 81920, context.HttpContext.RequestAborted);
    }

    /// <summary>A stored file's ETag: its SHA-256 (strong: the same bytes, the same tag).</summary>
    public static string ETagOf(string sha256) => "\"" + sha256 + "\"";
}
