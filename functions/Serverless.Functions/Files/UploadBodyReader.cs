using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Serverless.Files.Upload;
using Serverless.Functions.Http;
using Serverless.Validation;

namespace Serverless.Functions.Files;

/// <summary>
/// The two shapes an upload may take, both streamed (nothing is buffered whole):
/// <list type="bullet">
/// <item><c>multipart/form-data</c> with one part named <c>file</c> (what an HTML form and <c>curl -F file=@photo.jpg</c>
/// send): its file name from the part's <c>filename*</c> or <c>filename</c>. Parts before it without a file are skipped.</item>
/// <item>Any other body: the file's bytes themselves (<c>curl --data-binary @photo.jpg</c>), its name in
/// <c>X-File-Name</c>, percent-encoded UTF-8 (RFC 3986), since a header cannot carry Japanese as it is.</item>
/// </list>
/// The declared type is ignored either way: validation decides the type from the content.
/// </summary>
public static class UploadBodyReader
{
    public const string FileNameHeader = "X-File-Name";

    /// <summary>Room for a multipart body's boundaries and part headers beyond the file itself.</summary>
    public const long MultipartOverhead = 64 * 1024;

    /// <summary>At most this many parts are skipped before the file part.</summary>
    private const int MaxPartsBeforeFile = 8;

    /// <summary>Raises the body limit for this request only (Kestrel's default of 30,000,000 bytes stays on every other
    /// route), to the file limit plus the multipart overhead. Call before anything reads the body.</summary>
    public static void AllowBodyOf(HttpRequest request, long fileLimit)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = fileLimit + MultipartOverhead;
        }
    }

    /// <summary>The upload's framing; on an unreadable one, the problem to answer in <paramref name="problem"/>.</summary>
    public static async Task<(UploadBody Body, IActionResult? Problem)> ReadAsync(HttpRequest request, RequestContext context, long fileLimit)
    {
        if (request.ContentLength > fileLimit + MultipartOverhead)
        {
            return (new UploadBody.DeclaredTooLarge(), null); // refused before a byte is read
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var header = request.Headers[FileNameHeader].ToString();
            string? name = null;
            if (header.Length > 0)
            {
                try
                {
                    name = Uri.UnescapeDataString(header);
                }
                catch (UriFormatException)
                {
                    return Refuse(context.Invalid([new ValidationError("header:" + FileNameHeader, FieldRules.InvalidValue)]));
                }
            }

            return (new UploadBody.Readable(name, request.ContentLength, request.Body), null);
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            return Refuse(context.Invalid([new ValidationError("header:Content-Type", FieldRules.InvalidValue)]));
        }

        var reader = new MultipartReader(boundary, request.Body);
        try
        {
            for (var part = 0; part <= MaxPartsBeforeFile; part++)
            {
                var section = await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted);
                if (section is null)
                {
                    break;
                }

                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && disposition.DispositionType.Equals("form-data")
                    && disposition.Name.Equals("file")
                    && (disposition.FileNameStar.HasValue || disposition.FileName.HasValue))
                {
                    var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    return (new UploadBody.Readable(name, null, section.Body), null);
                }
            }
        }
        catch (InvalidDataException)
        {
            // a malformed multipart body: no file part can be read from it
        }
        catch (IOException) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // a body that ends before its boundary ("Unexpected end of Stream"): no file part either (it was a 500)
        }

        return Refuse(context.Invalid([new ValidationError("file", FieldRules.Required)]));
    }

    private static (UploadBody, IActionResult?) Refuse(IActionResult problem) => (new UploadBody.Unreadable(), problem);
}
