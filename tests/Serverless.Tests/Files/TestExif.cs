using System.Buffers.Binary;
using System.Text;

namespace Serverless.Tests.Files;

/// <summary>Little-endian EXIF (TIFF) structures built tag by tag, as a camera would write them.</summary>
internal static class TestExif
{
    public sealed record Tag(ushort Id, ushort Type, uint Count, byte[] Value);

    public static Tag Ascii(ushort id, string text) => new(id, 2, (uint)text.Length + 1, [.. Encoding.ASCII.GetBytes(text), 0]);

    public static Tag Short(ushort id, ushort value) => new(id, 3, 1, Le16(value));

    public static Tag Long(ushort id, uint value) => new(id, 4, 1, Le32(value));

    public static Tag Undefined(ushort id, byte[] bytes) => new(id, 7, (uint)bytes.Length, bytes);

    public static Tag Rationals(ushort id, params (uint Numerator, uint Denominator)[] values) =>
        new(id, 5, (uint)values.Length, [.. values.SelectMany(value => Le32(value.Numerator).Concat(Le32(value.Denominator)))]);

    /// <summary>What a phone writes: make, model, software, orientation 6 (turn right), the capture time with its
    /// offset and sub-seconds, a maker note, a body serial number, GPS (みどり市 town hall, invented) and a thumbnail.</summary>
    public static byte[] Phone(byte[] thumbnail) => Tiff(
        [Ascii(0x010F, "TestPhone"), Ascii(0x0110, "Model X"), Short(0x0112, 6), Ascii(0x0131, "Camera 1.0")],
        [Ascii(0x9003, "2025:06:14 09:30:05"), Ascii(0x9011, "+09:00"), Ascii(0x9291, "123"), Undefined(0x927C, Encoding.ASCII.GetBytes("MAKERNOTE-SERIAL-0042-FACE-REGIONS")), Ascii(0xA431, "SN-12345678")],
        [Ascii(0x0001, "N"), Rationals(0x0002, (35, 1), (41, 1), (2200, 100)), Ascii(0x0003, "E"), Rationals(0x0004, (139, 1), (41, 1), (3000, 100))],
        thumbnail);

    /// <summary>IFD0 (with pointers to the Exif and GPS IFDs when they have tags), then IFD1 pointing at
    /// <paramref name="thumbnail"/> when given.</summary>
    public static byte[] Tiff(IList<Tag> ifd0, IList<Tag> exif, IList<Tag> gps, byte[]? thumbnail)
    {
        static int Size(int count) => count == 0 ? 0 : 2 + (12 * count) + 4;
        static int Padded(Tag tag) => tag.Value.Length <= 4 ? 0 : tag.Value.Length + (tag.Value.Length % 2);

        var zeroTags = ifd0.Count + (exif.Count > 0 ? 1 : 0) + (gps.Count > 0 ? 1 : 0);
        var ifd1Count = thumbnail is null ? 0 : 3;
        var at0 = 8;
        var atExif = at0 + Size(zeroTags);
        var atGps = atExif + Size(exif.Count);
        var at1 = atGps + Size(gps.Count);
        var dataStart = at1 + Size(ifd1Count);
        var thumbnailAt = dataStart + ifd0.Concat(exif).Concat(gps).Sum(Padded);
        var zero = ifd0.ToList();
        if (exif.Count > 0)
        {
            zero.Add(Long(0x8769, (uint)atExif));
        }

        if (gps.Count > 0)
        {
            zero.Add(Long(0x8825, (uint)atGps));
        }

        var output = new byte[dataStart];
        var data = new List<byte>();
        "II"u8.CopyTo(output);
        BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4), 8);
        WriteIfd(output, at0, [.. zero.OrderBy(tag => tag.Id)], thumbnail is null ? 0 : at1, dataStart, data);
        if (exif.Count > 0)
        {
            WriteIfd(output, atExif, [.. exif.OrderBy(tag => tag.Id)], 0, dataStart, data);
        }

        if (gps.Count > 0)
        {
            WriteIfd(output, atGps, [.. gps.OrderBy(tag => tag.Id)], 0, dataStart, data);
        }

        if (thumbnail is not null)
        {
            WriteIfd(output, at1, [Short(0x0103, 6), Long(0x0201, (uint)thumbnailAt), Long(0x0202, (uint)thumbnail.Length)], 0, dataStart, data);
        }

        return [.. output, .. data, .. thumbnail ?? []];
    }

    private static void WriteIfd(byte[] output, int at, IList<Tag> tags, int next, int dataStart, List<byte> data)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at), (ushort)tags.Count);
        var entry = at + 2;
        foreach (var tag in tags)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(entry), tag.Id);
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(entry + 2), tag.Type);
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(entry + 4), tag.Count);
            if (tag.Value.Length <= 4)
            {
                tag.Value.CopyTo(output, entry + 8);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(entry + 8), (uint)(dataStart + data.Count));
                data.AddRange(tag.Value);
                if (tag.Value.Length % 2 == 1)
                {
                    data.Add(0);
                }
            }

            entry += 12;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(entry), (uint)next);
    }

    private static byte[] Le16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Le32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
