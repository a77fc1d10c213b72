using System.Buffers.Binary;
using Serverless.Files.Jpeg;
using Serverless.Files.Ooxml;
using Serverless.Files.Pdf;
using Serverless.Files.Png;

namespace Serverless.Files;

/// <summary>
/// Decides what a file is from its content alone (its name and declared type are never asked) and whether it may
/// be stored: JPEG, PNG, PDF, and Word, Excel and PowerPoint files (.docx, .xlsx, .pptx) are checked through to
/// their end; HEIC is refused with a message saying how to send JPEG; everything else (HTML, SVG, scripts,
/// programs, plain zips, unknown kinds) is refused. The stream must be seekable, because zips are read from their
/// end and PDF object streams are re-read to inflate them: the validator spools each file to a temporary file first.
/// </summary>
public sealed class FileInspector
{
    /// <summary>How much the object streams of one PDF may inflate to, together.</summary>
    public const long DefaultPdfInflateBudget = 64L * 1024 * 1024;

    private static readonly HashSet<string> HeifBrands = new(StringComparer.Ordinal)
    {
        "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "mif2", "msf1",
    };

    private static ReadOnlySpan<byte> JpegStart => [0xFF, 0xD8, 0xFF];

    private readonly ZipLimits zipLimits;
    private readonly long maxPixels;
    private readonly long pdfInflateBudget;

    public FileInspector()
        : this(ZipLimits.Default, ImageLimits.DefaultMaxPixels, DefaultPdfInflateBudget)
    {
    }

    internal FileInspector(ZipLimits zipLimits, long maxPixels, long pdfInflateBudget)
    {
        this.zipLimits = zipLimits;
        this.maxPixels = maxPixels;
        this.pdfInflateBudget = pdfInflateBudget;
    }

    public FileInspection Inspect(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            throw new ArgumentException("Inspection re-reads parts of the file: pass a seekable stream (the validator spools to a temporary file).", nameof(content));
        }

        if (content.Length == 0)
        {
            return FileInspection.Refuse(FileRejections.Empty);
        }

        Span<byte> start = stackalloc byte[16];
        content.Position = 0;
        var read = content.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        start = start[..read];
        content.Position = 0;
        if (start.StartsWith(JpegStart))
        {
            return JpegInspector.Inspect(new ByteReader(content, cancellationToken), maxPixels);
        }

        if (start.StartsWith(PngReader.Signature))
        {
            return PngInspector.Inspect(new ByteReader(content, cancellationToken), maxPixels);
        }

        if (start.StartsWith("%PDF-"u8))
        {
            return PdfScanner.Scan(content, pdfInflateBudget, cancellationToken) is { } reason
                ? FileInspection.Refuse(reason)
                : new FileInspection.Accepted(FileType.Pdf);
        }

        if (start.StartsWith("PK\x03\x04"u8))
        {
            return new OoxmlInspector(content, zipLimits, cancellationToken).Inspect();
        }

        if (start.Length >= 12 && start[4..8].SequenceEqual("ftyp"u8))
        {
            return IsHeif(content) ? FileInspection.Refuse(FileRejections.Heic) : FileInspection.Refuse(FileRejections.UnsupportedType);
        }

        return FileInspection.Refuse(FileRejections.UnsupportedType);
    }

    /// <summary>An ISO media file (HEIC, AVIF, MP4, MOV) whose ftyp box names a HEIF image brand; AVIF (also HEIF)
    /// is left to "unsupported", since the iPhone advice does not fit it.</summary>
    private static bool IsHeif(Stream content)
    {
        Span<byte> box = stackalloc byte[256];
        content.Position = 0;
        var read = content.ReadAtLeast(box, box.Length, throwOnEndOfStream: false);
        var size = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(box), (uint)read);
        var heif = false;
        for (var at = 8; at + 4 <= size; at += at == 8 ? 8 : 4) // the major brand, then (after the minor version) the compatible ones
        {
            var brand = System.Text.Encoding.ASCII.GetString(box.Slice(at, 4));
            if (brand is "avif" or "avis")
            {
                return false;
            }

            heif |= HeifBrands.Contains(brand);
        }

        return heif;
    }
}
