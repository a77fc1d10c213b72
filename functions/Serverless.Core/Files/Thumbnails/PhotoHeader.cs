using Serverless.Files.Exif;
using Serverless.Files.Jpeg;
using Serverless.Files.Png;

namespace Serverless.Files.Thumbnails;

/// <summary>What the thumbnail maker needs to know before it decodes a stored photo, read with the validator's own
/// parsers: the size, the EXIF orientation (1–8; SkiaSharp reads a JPEG's but not a PNG's eXIf) and how many bytes a
/// decode must hold for the whole image (0 when it can stream).</summary>
internal sealed record PhotoHeader(int Width, int Height, int Orientation, long WholeImageBytes)
{
    private static ReadOnlySpan<byte> ExifHeader => "Exif\0\0"u8;

    /// <summary>The header, or null when it does not parse.</summary>
    public static PhotoHeader? Read(Stream photo, FileKind kind, CancellationToken cancellationToken)
    {
        photo.Position = 0;
        var reader = new ByteReader(photo, cancellationToken);
        return kind == FileKind.Jpeg ? ReadJpeg(new JpegReader(reader)) : ReadPng(new PngReader(reader));
    }

    private static PhotoHeader? ReadJpeg(JpegReader jpeg)
    {
        int? orientation = null;
        (int Width, int Height, bool Progressive, (int H, int V)[] Sampling)? frame = null;
        while (jpeg.TryNext(out var segment))
        {
            if (segment.Marker == JpegSegment.App1 && orientation is null && jpeg.Body.StartsWith(ExifHeader))
            {
                orientation = ExifWhitelist.Read(jpeg.Body[ExifHeader.Length..], new HashSet<string>()).Orientation ?? 1;
            }
            else if (segment.IsStartOfFrame && jpeg.BodyLength >= 6)
            {
                var body = jpeg.Body;
                var components = body[5];
                if (components == 0 || jpeg.BodyLength < 6 + (3 * components))
                {
                    return null;
                }

                var sampling = new (int, int)[components];
                for (var i = 0; i < components; i++)
                {
                    var factors = body[6 + (3 * i) + 1];
                    sampling[i] = (Math.Max(1, factors >> 4), Math.Max(1, factors & 0x0F));
                }

                frame = ((body[3] << 8) | body[4], (body[1] << 8) | body[2], segment.Marker == 0xC2, sampling);
            }
            else if (segment.Marker == JpegSegment.Sos)
            {
                if (frame is not { } f || jpeg.BodyLength < 1)
                {
                    return null;
                }

                // A progressive JPEG, or one whose first scan does not carry every component, is decoded by
                // libjpeg-turbo through a buffer of the whole image's coefficients.
                var buffered = f.Progressive || jpeg.Body[0] < f.Sampling.Length;
                return new PhotoHeader(f.Width, f.Height, orientation ?? 1, buffered ? CoefficientBytes(f.Width, f.Height, f.Sampling) : 0);
            }
        }

        return null;
    }

    /// <summary>libjpeg-turbo's whole-image coefficient arrays: per component, its blocks (rounded up to whole
    /// MCUs) of 64 two-byte coefficients.</summary>
    private static long CoefficientBytes(int width, int height, (int H, int V)[] sampling)
    {
        var maxH = sampling.Max(factor => factor.H);
        var maxV = sampling.Max(factor => factor.V);
        long bytes = 0;
        foreach (var (h, v) in sampling)
        {
            var blocksWide = RoundUp(CeilDiv((long)width * h, maxH * 8L), h);
            var blocksHigh = RoundUp(CeilDiv((long)height * v, maxV * 8L), v);
            bytes += blocksWide * blocksHigh * 128;
        }

        return bytes;
    }

    private static PhotoHeader? ReadPng(PngReader png)
    {
        int? width = null, height = null, orientation = null;
        while (png.TryNext(out var chunk))
        {
            switch (chunk.Type)
            {
                case "IHDR" when png.DataKept >= 13:
                    width = (int)Math.Min(int.MaxValue, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.Data));
                    height = (int)Math.Min(int.MaxValue, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.Data[4..]));
                    break;
                case "eXIf" when orientation is null && chunk.DataLength == png.DataKept:
                    orientation = ExifWhitelist.Read(png.Data, new HashSet<string>()).Orientation;
                    break;
                case "IDAT":
                    // SkiaSharp decodes a PNG only whole: 4 bytes a pixel, interlaced or not.
                    return width is { } w && height is { } h ? new PhotoHeader(w, h, orientation ?? 1, (long)w * h * 4) : null;
            }
        }

        return null;
    }

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;

    private static long RoundUp(long value, long multiple) => CeilDiv(value, multiple) * multiple;
}
