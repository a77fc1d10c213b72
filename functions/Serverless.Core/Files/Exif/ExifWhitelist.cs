using System.Buffers.Binary;
using System.Text;

namespace Serverless.Files.Exif;

/// <summary>
/// Reads the whitelisted tags out of an EXIF (TIFF) structure and writes a new one holding only them. A whitelist,
/// not a blacklist: a tag nobody thought of (a new maker's serial number, a face region) never survives. Each kept
/// value must have its standard form, so nothing else can ride in it.
/// </summary>
internal static class ExifWhitelist
{
    private const ushort OrientationTag = 0x0112;
    private const ushort ExifIfdTag = 0x8769;
    private const ushort GpsIfdTag = 0x8825;
    private const ushort DateTimeOriginalTag = 0x9003;
    private const ushort OffsetTimeOriginalTag = 0x9011;
    private const ushort SubSecTimeOriginalTag = 0x9291;
    private const ushort MakerNoteTag = 0x927C;
    private const int MaxEntries = 1000;

    /// <summary>The kept tags of <paramref name="tiff"/>; what else it held is added to <paramref name="removed"/>.</summary>
    public static ExifKept Read(ReadOnlySpan<byte> tiff, ISet<string> removed)
    {
        if (tiff.Length < 8 || !(tiff[0] == tiff[1] && tiff[0] is (byte)'I' or (byte)'M'))
        {
            removed.Add(PhotoMetadata.ExifOther);
            return ExifKept.None;
        }

        var little = tiff[0] == (byte)'I';
        if (U16(tiff, 2, little) != 42)
        {
            removed.Add(PhotoMetadata.ExifOther);
            return ExifKept.None;
        }

        int? orientation = null;
        string? taken = null, offset = null, subSec = null;
        var ifd0 = U32(tiff, 4, little);
        var exifIfd = 0u;
        if (!TryEntries(tiff, ifd0, little, out var count0))
        {
            removed.Add(PhotoMetadata.ExifOther);
            return ExifKept.None;
        }

        for (var i = 0; i < count0; i++)
        {
            var entry = (int)ifd0 + 2 + (12 * i);
            var tag = U16(tiff, entry, little);
            var type = U16(tiff, entry + 2, little);
            var count = U32(tiff, entry + 4, little);
            switch (tag)
            {
                case OrientationTag when type == 3 && count == 1:
                    var value = U16(tiff, entry + 8, little);
                    orientation = value is >= 1 and <= 8 ? value : null;
                    break;
                case ExifIfdTag when type is 4 or 13 && count == 1:
                    exifIfd = U32(tiff, entry + 8, little);
                    break;
                case GpsIfdTag:
                    removed.Add(PhotoMetadata.ExifGps);
                    break;
                default:
                    removed.Add(PhotoMetadata.ExifOther);
                    break;
            }
        }

        if (U32(tiff, (int)ifd0 + 2 + (12 * count0), little) != 0)
        {
            removed.Add(PhotoMetadata.ExifThumbnail); // IFD1: the thumbnail image and its tags
        }

        if (exifIfd != 0 && exifIfd != ifd0 && TryEntries(tiff, exifIfd, little, out var count1))
        {
            for (var i = 0; i < count1; i++)
            {
                var entry = (int)exifIfd + 2 + (12 * i);
                var tag = U16(tiff, entry, little);
                switch (tag)
                {
                    case DateTimeOriginalTag:
                        taken = Ascii(tiff, entry, little, IsDateTime);
                        break;
                    case OffsetTimeOriginalTag:
                        offset = Ascii(tiff, entry, little, IsOffset);
                        break;
                    case SubSecTimeOriginalTag:
                        subSec = Ascii(tiff, entry, little, IsSubSec);
                        break;
                    case MakerNoteTag:
                        removed.Add(PhotoMetadata.ExifMakerNote);
                        break;
                    default:
                        removed.Add(PhotoMetadata.ExifOther);
                        break;
                }
            }
        }
        else if (exifIfd != 0)
        {
            removed.Add(PhotoMetadata.ExifOther);
        }

        return new ExifKept(orientation, taken, offset, subSec);
    }

    /// <summary>A big-endian TIFF structure holding exactly <paramref name="kept"/>: IFD0 with Orientation and the Exif
    /// IFD pointer, the Exif IFD with the capture time tags, no IFD1 (so no thumbnail).</summary>
    public static byte[] Write(ExifKept kept)
    {
        var exifTags = new List<(ushort Tag, string Value)>();
        if (kept.DateTimeOriginal is { } taken)
        {
            exifTags.Add((DateTimeOriginalTag, taken));
        }

        if (kept.OffsetTimeOriginal is { } offset)
        {
            exifTags.Add((OffsetTimeOriginalTag, offset));
        }

        if (kept.SubSecTimeOriginal is { } subSec)
        {
            exifTags.Add((SubSecTimeOriginalTag, subSec));
        }

        var ifd0Count = (kept.Orientation is null ? 0 : 1) + (exifTags.Count == 0 ? 0 : 1);
        var ifd0Size = 2 + (12 * ifd0Count) + 4;
        var exifIfdOffset = 8 + ifd0Size;
        var exifIfdSize = exifTags.Count == 0 ? 0 : 2 + (12 * exifTags.Count) + 4;
        var dataOffset = exifIfdOffset + exifIfdSize;
        var data = new List<byte>();
        var output = new byte[dataOffset];
        "MM"u8.CopyTo(output);
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(8), (ushort)ifd0Count);
        var entry = 10;
        if (kept.Orientation is { } orientation)
        {
            WriteEntry(output, entry, OrientationTag, 3, 1, (uint)orientation << 16);
            entry += 12;
        }

        if (exifTags.Count > 0)
        {
            WriteEntry(output, entry, ExifIfdTag, 4, 1, (uint)exifIfdOffset);
            entry += 12;
        }

        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(entry), 0); // no IFD1
        if (exifTags.Count > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(exifIfdOffset), (ushort)exifTags.Count);
            entry = exifIfdOffset + 2;
            foreach (var (tag, value) in exifTags)
            {
                var bytes = Encoding.ASCII.GetBytes(value + "\0");
                if (bytes.Length <= 4)
                {
                    var inline = new byte[4];
                    bytes.CopyTo(inline, 0);
                    WriteEntry(output, entry, tag, 2, (uint)bytes.Length, BinaryPrimitives.ReadUInt32BigEndian(inline));
                }
                else
                {
                    WriteEntry(output, entry, tag, 2, (uint)bytes.Length, (uint)(dataOffset + data.Count));
                    data.AddRange(bytes);
                    if (data.Count % 2 == 1)
                    {
                        data.Add(0); // TIFF values start on word boundaries
                    }
                }

                entry += 12;
            }

            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(entry), 0);
        }

        return [.. output, .. data];
    }

    private static void WriteEntry(byte[] output, int at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(at), tag);
        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(at + 2), type);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(at + 4), count);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(at + 8), value);
    }

    private static bool TryEntries(ReadOnlySpan<byte> tiff, uint offset, bool little, out int count)
    {
        count = 0;
        if (offset < 8 || offset > tiff.Length - 2)
        {
            return false;
        }

        count = U16(tiff, (int)offset, little);
        return count <= MaxEntries && offset + 2L + (12L * count) + 4 <= tiff.Length;
    }

    /// <summary>An ASCII value in its standard form, or null.</summary>
    private static string? Ascii(ReadOnlySpan<byte> tiff, int entry, bool little, Func<string, bool> valid)
    {
        if (U16(tiff, entry + 2, little) != 2)
        {
            return null;
        }

        var count = U32(tiff, entry + 4, little);
        if (count is 0 or > 64)
        {
            return null;
        }

        long at = count <= 4 ? entry + 8 : U32(tiff, entry + 8, little);
        if (at + count > tiff.Length)
        {
            return null;
        }

        var bytes = tiff.Slice((int)at, (int)count);
        var end = bytes.IndexOf((byte)0);
        var text = Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]).TrimEnd(' ');
        return valid(text) ? text : null;
    }

    // "2025:06:14 09:30:05"
    private static bool IsDateTime(string text) => text.Length == 19
        && Digits(text, 0, 4) && text[4] == ':' && Digits(text, 5, 2) && text[7] == ':' && Digits(text, 8, 2)
        && text[10] == ' ' && Digits(text, 11, 2) && text[13] == ':' && Digits(text, 14, 2) && text[16] == ':' && Digits(text, 17, 2);

    // "+09:00"
    private static bool IsOffset(string text) => text.Length == 6 && text[0] is '+' or '-' && Digits(text, 1, 2) && text[3] == ':' && Digits(text, 4, 2);

    private static bool IsSubSec(string text) => text.Length is >= 1 and <= 9 && Digits(text, 0, text.Length);

    private static bool Digits(string text, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int U16(ReadOnlySpan<byte> data, int at, bool little) => at < 0 || at + 2 > data.Length
        ? 0
        : little ? BinaryPrimitives.ReadUInt16LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt16BigEndian(data[at..]);

    private static uint U32(ReadOnlySpan<byte> data, int at, bool little) => at < 0 || at + 4 > data.Length
        ? 0
        : little ? BinaryPrimitives.ReadUInt32LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
}
