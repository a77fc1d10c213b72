using System.Globalization;
using Microsoft.Extensions.Options;

namespace Serverless.Files;

/// <summary>
/// The whole validation of one received file, as the queue-driven validation will run it: refuse a declared length
/// over the limit without reading; spool to a temporary file, refusing as soon as the limit is crossed; decide the
/// type from the content; for a photo write a cleaned copy (metadata out, pixels untouched); write what is to be
/// stored to <c>destination</c>, only when accepted. SHA-256 of the file as received and as stored are both
/// returned. Memory stays at a few buffers whatever the file's size.
/// </summary>
public sealed class FileValidator(FileInspector inspector, PhotoCleaner cleaner, IOptions<FilesOptions> options)
{
    public long LimitOf(UploadRoute route) => route == UploadRoute.Direct ? options.Value.MaxDirectBytes : options.Value.MaxFunctionPathBytes;

    /// <param name="received">The file as received (a blob's download stream, a request body); read once, forward only.</param>
    /// <param name="declaredLength">The length the sender or the blob declares, if any: refused at once when over the limit.</param>
    /// <param name="destination">Where the file to store is written; nothing is written when it is refused.</param>
    public async Task<FileValidation> ValidateAsync(Stream received, UploadRoute route, long? declaredLength, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(destination);
        var limit = LimitOf(route);
        if (declaredLength > limit || (received.CanSeek && received.Length - received.Position > limit))
        {
            return new FileValidation.Rejected(TooLarge(limit), null);
        }

        var (spooled, _) = await SpooledFile.ReceiveAsync(received, limit, cancellationToken);
        if (spooled is null)
        {
            return new FileValidation.Rejected(TooLarge(limit), null);
        }

        await using (spooled)
        {
            var inspection = inspector.Inspect(spooled.Content, cancellationToken);
            if (inspection is FileInspection.Rejected rejected)
            {
                return new FileValidation.Rejected(rejected.Rejection, spooled.Digest);
            }

            var type = ((FileInspection.Accepted)inspection).Type;
            if (!type.IsPhoto)
            {
                var stored = await SpooledFile.CopyAsync(spooled.Content, destination, cancellationToken);
                return new FileValidation.Accepted(type, spooled.Digest, stored, []);
            }

            await using var cleaned = SpooledFile.CreateTemporary();
            var cleaning = cleaner.Clean(spooled.Content, type, cleaned, cancellationToken);
            var storedPhoto = await SpooledFile.CopyAsync(cleaned, destination, cancellationToken);
            return new FileValidation.Accepted(type, spooled.Digest, storedPhoto, cleaning.Removed);
        }
    }

    private static FileRejection TooLarge(long limit) => new(
        FileRejections.TooLarge,
        new Dictionary<string, string> { ["limitMegabytes"] = (limit / FilesOptions.Megabyte).ToString(CultureInfo.InvariantCulture) });
}
