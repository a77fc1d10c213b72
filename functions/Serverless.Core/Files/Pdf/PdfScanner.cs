using System.IO.Compression;

namespace Serverless.Files.Pdf;

/// <summary>
/// Decides whether a PDF may be stored: it starts with <c>%PDF-</c>, ends with <c>%%EOF</c> (nothing but line ends
/// after it), is not encrypted, and nowhere names JavaScript, launching, remote or embedded files, rich media or
/// XFA forms. The whole file is read once, streaming; object streams (where PDF 1.5+ keeps most dictionaries,
/// compressed) are inflated within a budget and read the same way. What this cannot see is in docs/files.md.
/// </summary>
internal static class PdfScanner
{
    /// <summary>Null when the PDF may be stored, else a <see cref="FileRejections"/> key.</summary>
    public static string? Scan(Stream file, long inflateBudget, CancellationToken cancellationToken)
    {
        var reader = new ByteReader(file, cancellationToken);
        Span<byte> header = stackalloc byte[8];
        if (!reader.TryRead(header) || !header.StartsWith("%PDF-"u8) || !char.IsAsciiDigit((char)header[5]) || header[6] != (byte)'.' || !char.IsAsciiDigit((char)header[7]))
        {
            return FileRejections.Damaged;
        }

        if (EndProblem(file) is { } end)
        {
            return end;
        }

        reader.Seek(0);
        var lexer = new PdfLexer(file, nested: false, inflateBudget, cancellationToken);
        return lexer.Run(reader);
    }

    /// <summary>The file must end with %%EOF and line ends (or the NULs some writers pad with): a page of HTML
    /// appended to a PDF makes a polyglot, so it is refused rather than kept.</summary>
    private static string? EndProblem(Stream file)
    {
        var tailLength = (int)Math.Min(file.Length, 1024);
        var tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        file.ReadExactly(tail);
        var eof = tail.AsSpan().LastIndexOf("%%EOF"u8);
        if (eof < 0)
        {
            return FileRejections.Damaged; // cut off on the way, or not a PDF
        }

        foreach (var b in tail.AsSpan(eof + 5))
        {
            if (b is not ((byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t' or 0))
            {
                return FileRejections.UnsupportedType;
            }
        }

        return null;
    }
}
