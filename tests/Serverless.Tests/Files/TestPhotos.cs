using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Serverless.Tests.Files;

/// <summary>Photos made in the test: encoded by SkiaSharp (in the app only for thumbnails), then given
/// the metadata a phone or an editor would add, segment by segment and chunk by chunk.</summary>
internal static class TestPhotos
{
    public const string Html = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";

    /// <summary>A JPEG of <paramref name="width"/> × <paramref name="height"/> noisy pixels: SOI, APP0 JFIF, tables, one frame, one scan, EOI.</summary>
    public static byte[] Jpeg(int width = 64, int height = 48, int quality = 90, int seed = 1)
    {
        using var bitmap = Noise(width, height, seed);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    public static byte[] Png(int width = 40, int height = 30, int seed = 2)
    {
        using var bitmap = Noise(width, height, seed);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A phone's photo as it would reach a council: EXIF with GPS, a maker note, a serial number and a
    /// thumbnail; XMP with the location (and extended XMP); IPTC with the city; a comment carrying HTML; a
    /// multi-picture index; and a page of HTML after EOI.</summary>
    public static byte[] PhoneJpeg(byte[]? jpeg = null)
    {
        jpeg ??= Jpeg();
        byte[] exif = [.. "Exif\0\0"u8, .. TestExif.Phone(Jpeg(16, 16, 50, 9))];
        var xmp = Encoding.UTF8.GetBytes("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"35,41.37N\" exif:GPSLongitude=\"139,41.5E\"/></rdf:RDF></x:xmpmeta>");
        var extension = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>"u8.ToArray();
        byte[] extendedXmp = [.. "http://ns.adobe.com/xmp/extension/\0"u8, .. "0123456789ABCDEF0123456789ABCDEF"u8, 0, 0, 0, (byte)extension.Length, 0, 0, 0, 0, .. extension];
        return [.. Insert(jpeg, Segment(0xE1, exif), Segment(0xE1, xmp), Segment(0xE1, extendedXmp), Segment(0xED, Iptc("みどり市緑町1-2-3")),
            Segment(0xFE, Encoding.ASCII.GetBytes(Html)), Segment(0xE2, [.. "MPF\0"u8, .. "MM\0*\0\0\0\x08"u8])), .. Encoding.ASCII.GetBytes(Html)];
    }

    /// <summary>A PNG with an eXIf chunk (orientation, capture time, GPS), XMP in iTXt, a tEXt comment and tIME, all
    /// before the image data, and HTML after IEND.</summary>
    public static byte[] PhonePng(byte[]? png = null)
    {
        png ??= Png();
        var exif = TestExif.Tiff(
            [TestExif.Short(0x0112, 8)],
            [TestExif.Ascii(0x9003, "2025:06:15 18:02:44")],
            [TestExif.Ascii(0x0001, "N"), TestExif.Rationals(0x0002, (35, 1), (41, 1), (2200, 100))],
            null);
        var xmp = Encoding.UTF8.GetBytes("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"35,41.37N\"/></rdf:RDF></x:xmpmeta>");
        var headerEnd = 8 + 12 + 13;
        return [.. png[..headerEnd], .. Chunk("eXIf", exif), .. Chunk("iTXt", xmp), .. Chunk("tEXt", "Comment\0みどり市緑町"u8.ToArray()),
            .. Chunk("tIME", [0x07, 0xE9, 6, 15, 18, 2, 44]), .. png[headerEnd..], .. Encoding.ASCII.GetBytes(Html)];
    }

    /// <summary><paramref name="segments"/> inserted after SOI and APP0, where cameras put theirs.</summary>
    public static byte[] Insert(byte[] jpeg, params byte[][] segments)
    {
        var afterApp0 = jpeg[3] == 0xE0 ? 4 + ((jpeg[4] << 8) | jpeg[5]) : 2;
        return [.. jpeg[..afterApp0], .. segments.SelectMany(segment => segment), .. jpeg[afterApp0..]];
    }

    public static byte[] Segment(byte marker, byte[] body) => [0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2), .. body];

    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Serverless.Files.Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>An APP13 body: a Photoshop resource 0x0404 holding IPTC record 2 with the city (2:90).</summary>
    public static byte[] Iptc(string city)
    {
        var value = Encoding.UTF8.GetBytes(city);
        byte[] iptc = [0x1C, 0x02, 0x5A, (byte)(value.Length >> 8), (byte)value.Length, .. value];
        if (iptc.Length % 2 == 1)
        {
            iptc = [.. iptc, 0];
        }

        return [.. "Photoshop 3.0\0"u8, .. "8BIM"u8, 0x04, 0x04, 0, 0, (byte)(iptc.Length >> 24), (byte)(iptc.Length >> 16), (byte)(iptc.Length >> 8), (byte)iptc.Length, .. iptc];
    }

    /// <summary>Each pixel as decoded (RGBA, premultiplied), for comparing two files' images.</summary>
    public static byte[] Pixels(byte[] encoded)
    {
        using var bitmap = SKBitmap.Decode(encoded) ?? throw new InvalidDataException("SkiaSharp could not decode the image.");
        return bitmap.Bytes;
    }

    /// <summary>The marker segments of a JPEG up to its first scan (an independent walk, not the app's).</summary>
    public static List<(byte Marker, byte[] Bytes)> SegmentsBeforeScan(byte[] jpeg)
    {
        var segments = new List<(byte, byte[])>();
        var at = 2;
        while (jpeg[at + 1] != 0xDA)
        {
            var length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            segments.Add((jpeg[at + 1], jpeg[at..(at + 2 + length)]));
            at += 2 + length;
        }

        return segments;
    }

    /// <summary>From the first start of scan to EOI: scan headers and the entropy-coded data.</summary>
    public static byte[] ScanToEnd(byte[] jpeg)
    {
        var start = SegmentsBeforeScan(jpeg).Sum(segment => segment.Bytes.Length) + 2;
        var end = jpeg.AsSpan().LastIndexOf([(byte)0xFF, (byte)0xD9]) + 2;
        return jpeg[start..end];
    }

    private static SKBitmap Noise(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 4];
        new Random(seed).NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 0xFF; // opaque, so premultiplied is the same as not
        }

        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }
}
