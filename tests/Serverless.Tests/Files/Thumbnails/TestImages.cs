using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace Serverless.Tests.Files.Thumbnails;

/// <summary>Which quadrant of a test image is red (public: a test's parameter).</summary>
public enum Quadrant
{
    TopLeft,
    TopRight,
    BottomRight,
    BottomLeft,
}

/// <summary>Images for thumbnail tests: one quadrant red and the rest blue (so where it ends up shows which way the
/// thumbnail was turned), encoded by SkiaSharp as JPEG or PNG, or by the two small encoders here as what SkiaSharp
/// cannot write: a progressive JPEG and an interlaced PNG.</summary>
internal static class TestImages
{
    public static readonly SKColor Red = new(0xE0, 0x10, 0x10);
    public static readonly SKColor Blue = new(0x10, 0x20, 0xD0);

    /// <summary>Opaque RGBA pixels, row by row: <paramref name="red"/> red, the rest blue; with
    /// <paramref name="transparentBottom"/> the bottom half fully transparent instead.</summary>
    public static byte[] Pixels(int width, int height, Quadrant red, bool transparentBottom = false)
    {
        var pixels = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var right = x >= width / 2;
                var bottom = y >= height / 2;
                var isRed = red switch
                {
                    Quadrant.TopLeft => !right && !bottom,
                    Quadrant.TopRight => right && !bottom,
                    Quadrant.BottomRight => right && bottom,
                    _ => !right && bottom,
                };
                var color = isRed ? Red : Blue;
                var at = ((y * width) + x) * 4;
                if (transparentBottom && bottom)
                {
                    continue; // 0, 0, 0, 0
                }

                (pixels[at], pixels[at + 1], pixels[at + 2], pixels[at + 3]) = (color.Red, color.Green, color.Blue, 255);
            }
        }

        return pixels;
    }

    public static byte[] Jpeg(int width, int height, Quadrant red = Quadrant.TopLeft, int quality = 90) =>
        Encode(Pixels(width, height, red), width, height, SKEncodedImageFormat.Jpeg, quality);

    public static byte[] Png(int width, int height, Quadrant red = Quadrant.TopLeft, bool transparentBottom = false) =>
        Encode(Pixels(width, height, red, transparentBottom), width, height, SKEncodedImageFormat.Png, 100);

    /// <summary>Noise (compresses badly, like a detailed photo), for the memory tests.</summary>
    public static byte[] NoiseJpeg(int width, int height) => TestPhotos.Jpeg(width, height, quality: 90, seed: 5);

    public static byte[] NoisePng(int width, int height) => TestPhotos.Png(width, height, seed: 6);

    /// <summary><paramref name="photo"/> with EXIF holding only <paramref name="orientation"/>, where a camera puts it
    /// (an APP1 segment after JFIF; an eXIf chunk after IHDR).</summary>
    public static byte[] WithOrientation(byte[] photo, int orientation)
    {
        var tiff = TestExif.Tiff([TestExif.Short(0x0112, (ushort)orientation)], [], [], null);
        if (photo[0] == 0xFF)
        {
            return TestPhotos.Insert(photo, TestPhotos.Segment(0xE1, [.. "Exif\0\0"u8, .. tiff]));
        }

        const int AfterHeader = 8 + 12 + 13;
        return [.. photo[..AfterHeader], .. TestPhotos.Chunk("eXIf", tiff), .. photo[AfterHeader..]];
    }

    /// <summary>The colour of the thumbnail's pixel at (<paramref name="x"/>, <paramref name="y"/>), decoded by SkiaSharp.</summary>
    public static SKColor ColorAt(byte[] jpeg, double x, double y)
    {
        using var bitmap = SKBitmap.Decode(jpeg) ?? throw new InvalidDataException("SkiaSharp could not decode the thumbnail.");
        return bitmap.GetPixel((int)(x * bitmap.Width), (int)(y * bitmap.Height));
    }

    public static bool IsNear(SKColor actual, SKColor expected, int tolerance = 40) =>
        Math.Abs(actual.Red - expected.Red) <= tolerance && Math.Abs(actual.Green - expected.Green) <= tolerance && Math.Abs(actual.Blue - expected.Blue) <= tolerance;

    /// <summary>A PNG whose pixels are sent in Adam7 order (interlaced), 8-bit RGBA, which SkiaSharp's encoder never writes.</summary>
    public static byte[] InterlacedPng(byte[] rgba, int width, int height)
    {
        (int X, int Y, int DX, int DY)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var (startX, startY, stepX, stepY) in passes)
            {
                if (startX >= width || startY >= height)
                {
                    continue; // an empty pass has no rows, not even filter bytes
                }

                for (var y = startY; y < height; y += stepY)
                {
                    zlib.WriteByte(0); // filter: none
                    for (var x = startX; x < width; x += stepX)
                    {
                        zlib.Write(rgba, ((y * width) + x) * 4, 4);
                    }
                }
            }
        }

        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        (header[8], header[9], header[10], header[11], header[12]) = (8, 6, 0, 0, 1); // 8 bits, RGBA, deflate, adaptive, Adam7
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. TestPhotos.Chunk("IHDR", header), .. TestPhotos.Chunk("IDAT", raw.ToArray()), .. TestPhotos.Chunk("IEND", [])];
    }

    private static byte[] Encode(byte[] rgba, int width, int height, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }
}
