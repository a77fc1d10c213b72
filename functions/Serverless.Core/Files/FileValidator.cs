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
    public Task<FileValidation> ValidateAsync(Stream received, UploadRoute route, long? declaredLength, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return ValidateAsync(
            received,
            route,
            declaredLength,
            async (stored, _, token) =>
            {
                await stored.CopyToAsync(destination, token);
                await destination.FlushAsync(token);
            },
            cancellationToken);
    }

    /// <param name="store">Given the file to store (a temporary file, seekable, at its start) and its type, only when
    /// accepted; stores it (a blob upload of known length) before the temporary files are deleted.</param>
    public async Task<FileValidation> ValidateAsync(Stream received, UploadRoute route, long? declaredLength, Func<Stream, FileType, CancellationToken, Task> store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(store);
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
                spooled.Content.Position = 0;
                await store(spooled.Content, type, cancellationToken);
                return new FileValidation.Accepted(type, spooled.Digest, spooled.Digest, []);
            }

            await using var cleaned = SpooledFile.CreateTemporary();
            var cleaning = cleaner.Clean(spooled.Content, type, cleaned, cancellationToken);
            var storedPhoto = await SpooledFile.CopyAsync(cleaned, Stream.Null, cancellationToken); // its digest: one pass over the disk
            cleaned.Position = 0;
            await store(cleaned, type, cancellationToken);
            return new FileValidation.Accepted(type, spooled.Digest, storedPhoto, cleaning.Removed);
        }
    }

    private static FileRejection TooLarge(long limit) => new(
        FileRejections.TooLarge,
        new Dictionary<string, string> { ["limitMegabytes"] = (limit / FilesOptions.Megabyte).ToString(CultureInfo.InvariantCulture) });
}
