using Serverless.Files.Jpeg;
using Serverless.Files.Png;

namespace Serverless.Files;

/// <summary>
/// Writes the copy of a photo that is stored and served: location and identifying metadata removed, the image data
/// copied byte for byte, never decoded or re-encoded (an injury photo is evidence: its pixels stay as taken). The
/// capture time and orientation are kept. The input must be seekable (the validator's temporary file) and must have
/// passed <see cref="FileInspector"/>.
/// </summary>
public sealed class PhotoCleaner
{
    public PhotoCleaning Clean(Stream input, FileType type, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(type);
        if (!input.CanSeek)
        {
            throw new ArgumentException("Cleaning re-reads parts of the photo: pass a seekable stream (the validator spools to a temporary file).", nameof(input));
        }

        input.Position = 0;
        var reader = new ByteReader(input, cancellationToken);
        var removed = new SortedSet<string>(StringComparer.Ordinal);
        switch (type.Kind)
        {
            case FileKind.Jpeg:
                JpegCleaner.Clean(input, reader, output, removed);
                break;
            case FileKind.Png:
                PngCleaner.Clean(input, reader, output, removed);
                break;
            default:
                throw new ArgumentException($"{type.Kind} is not a photo.", nameof(type));
        }

        return new PhotoCleaning([.. removed]);
    }
}
