namespace Serverless.Files.Pdf;

/// <summary>The PDF names that make a file refused, and why.</summary>
internal static class PdfNames
{
    /// <summary>A <see cref="FileRejections"/> key when <paramref name="name"/> refuses the file; short names count only
    /// where objects are (<paramref name="inObjects"/>), not in strings or raw stream data.</summary>
    public static string? Refusal(ReadOnlySpan<byte> name, bool inObjects)
    {
        // Actions that run or reach out by themselves: scripts (JavaScript actions and name trees), launching a
        // program, opening a remote file (GoToR: a UNC path leaks the reader's Windows credentials), Flash and 3D.
        if (name.SequenceEqual("JavaScript"u8) || name.SequenceEqual("Launch"u8) || name.SequenceEqual("RichMedia"u8) || name.SequenceEqual("GoToR"u8))
        {
            return FileRejections.PdfActiveContent;
        }

        // Files carried inside the PDF, and the action that opens one.
        if (name.SequenceEqual("EmbeddedFile"u8) || name.SequenceEqual("EmbeddedFiles"u8) || name.SequenceEqual("FileAttachment"u8) || name.SequenceEqual("GoToE"u8))
        {
            return FileRejections.PdfEmbeddedFile;
        }

        if (!inObjects)
        {
            return null;
        }

        // The script of a JavaScript action, and XFA forms (which carry their own scripts).
        if (name.SequenceEqual("JS"u8) || name.SequenceEqual("XFA"u8))
        {
            return FileRejections.PdfActiveContent;
        }

        // Encrypted strings and object streams cannot be read without the key.
        return name.SequenceEqual("Encrypt"u8) ? FileRejections.PdfEncrypted : null;
    }
}
