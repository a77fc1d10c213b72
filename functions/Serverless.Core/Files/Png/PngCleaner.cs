using System.Buffers.Binary;
using Serverless.Files.Exif;

namespace Serverless.Files.Png;

/// <summary>
/// Writes a PNG's copy without identifying metadata: kept chunks are copied byte for byte (IDAT untouched, CRCs as
/// they were); eXIf is replaced by one holding only Orientation and the capture time; text chunks (where XMP
/// lives), tIME, every other ancillary chunk and all bytes after IEND are dropped.
/// </summary>
internal static class PngCleaner
{
    private static readonly HashSet<string> KeptChunks = new(StringComparer.Ordinal)
    {
        "IHDR", "PLTE", "IDAT", "IEND",
        "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "cICP", "mDCV", "cLLI", "sBIT", "pHYs", "bKGD",
    };

    public static void Clean(Stream input, ByteReader reader, Stream output, ISet<string> removed)
    {
        var png = new PngReader(reader);
        output.Write(PngReader.Signature);
        while (png.TryNext(out var chunk))
        {
            if (KeptChunks.Contains(chunk.Type))
            {
                using var raw = new RangeStream(input, chunk.Offset, chunk.Length);
                raw.CopyTo(output);
                continue;
            }

            switch (chunk.Type)
            {
                case "eXIf":
                    var kept = chunk.DataLength == png.DataKept ? ExifWhitelist.Read(png.Data, removed) : ExifKept.None;
                    if (chunk.DataLength != png.DataKept)
                    {
                        removed.Add(PhotoMetadata.ExifOther);
                    }

                    if (!kept.IsEmpty)
                    {
                        WriteChunk(output, "eXIf"u8, ExifWhitelist.Write(kept));
                    }

                    break;
                case "iTXt" when png.Data.StartsWith("XML:com.adobe.xmp\0"u8):
                    removed.Add(PhotoMetadata.Xmp);
                    break;
                case "tEXt" or "zTXt" or "iTXt":
                    removed.Add(PhotoMetadata.Text);
                    break;
                case "tIME":
                    removed.Add(PhotoMetadata.Time);
                    break;
                default:
                    removed.Add(PhotoMetadata.Other);
                    break;
            }
        }

        if (!png.ReachedEnd)
        {
            throw new InvalidDataException("The PNG does not parse; inspect a file before cleaning it.");
        }

        if (png.EndOfImage < reader.Length)
        {
            removed.Add(PhotoMetadata.TrailingData);
        }
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(field, (uint)data.Length);
        output.Write(field);
        output.Write(type);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(field, crc.Value);
        output.Write(field);
    }
}
