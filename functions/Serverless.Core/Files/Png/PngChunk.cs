namespace Serverless.Files.Png;

/// <summary>One PNG chunk: its four-letter type, where its length field starts and how long its data is. The whole
/// chunk on disk is 12 bytes longer (length, type, CRC).</summary>
internal readonly record struct PngChunk(string Type, long Offset, long DataLength)
{
    public long Length => DataLength + 12;

    /// <summary>A decoder must understand a critical chunk (upper-case first letter) to show the image.</summary>
    public bool IsCritical => char.IsAsciiLetterUpper(Type[0]);
}
