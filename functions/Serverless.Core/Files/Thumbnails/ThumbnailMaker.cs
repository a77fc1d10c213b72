using System.Runtime.InteropServices;
using SkiaSharp;

namespace Serverless.Files.Thumbnails;

/// <summary>
/// Makes the small JPEG the timeline shows for a stored photo: at most <see cref="Thumbnail.MaxSide"/> pixels on
/// its longest side, upright (the stored copy keeps its EXIF orientation; the thumbnail's pixels are turned), with no
/// metadata at all (SkiaSharp's encoder writes only JFIF and the image). Memory stays bounded: a baseline JPEG is
/// decoded by libjpeg-turbo at 1/8 to 1/1 of its size, row by row, into a box average of the thumbnail's size; a PNG
/// or a progressive JPEG, which SkiaSharp cannot decode that way, only up to <see cref="Thumbnail.MaxWholeImageBytes"/>.
/// Stateless: one instance serves every call.
/// </summary>
public sealed class ThumbnailMaker
{
    private static readonly SKColorSpace Srgb = SKColorSpace.CreateSrgb();

    /// <param name="storedPhoto">The photo as stored (validated and cleaned), seekable: it is read twice.</param>
    /// <param name="destination">Where the thumbnail is written; nothing is written when none is made.</param>
    public async Task<ThumbnailResult> MakeAsync(Stream storedPhoto, FileType type, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storedPhoto);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(destination);
        if (!type.IsPhoto)
        {
            return new ThumbnailResult.NotMade(Thumbnail.NotAnImage);
        }

        if (!storedPhoto.CanSeek)
        {
            throw new ArgumentException("The header is read before the pixels: pass a seekable stream (the stored photo's temporary file).", nameof(storedPhoto));
        }

        var header = PhotoHeader.Read(storedPhoto, type.Kind, cancellationToken);
        if (header is null)
        {
            return new ThumbnailResult.NotMade(Thumbnail.Undecodable);
        }

        if (header.WholeImageBytes > Thumbnail.MaxWholeImageBytes)
        {
            return new ThumbnailResult.NotMade(Thumbnail.TooLargeToThumbnail);
        }

        var scaler = Shrink(storedPhoto, type.Kind, header, cancellationToken);
        if (scaler is null)
        {
            return new ThumbnailResult.NotMade(Thumbnail.Undecodable);
        }

        var jpeg = Encode(scaler.ToUpright(), scaler.UprightWidth, scaler.UprightHeight);
        await destination.WriteAsync(jpeg, cancellationToken);
        return new ThumbnailResult.Made(scaler.UprightWidth, scaler.UprightHeight, jpeg.Length);
    }

    /// <summary>The photo shrunk, or null when it does not decode to its end.</summary>
    private static BoxScaler? Shrink(Stream photo, FileKind kind, PhotoHeader header, CancellationToken cancellationToken)
    {
        photo.Position = 0;
        using var codec = SKCodec.Create(new SKManagedStream(photo, disposeManagedStream: false), out _);
        var expected = kind == FileKind.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        if (codec is null || codec.EncodedFormat != expected || codec.Info.Width != header.Width || codec.Info.Height != header.Height)
        {
            return null;
        }

        var (width, height) = TargetSize(header.Width, header.Height);
        return kind == FileKind.Jpeg
            ? ShrinkRows(codec, ScaledSize(codec, width, height), width, height, header.Orientation, cancellationToken)
            : ShrinkWhole(codec, width, height, header.Orientation, cancellationToken);
    }

    /// <summary>The longest side brought down to <see cref="Thumbnail.MaxSide"/>, never up.</summary>
    internal static (int Width, int Height) TargetSize(int width, int height)
    {
        var longest = Math.Max(width, height);
        if (longest <= Thumbnail.MaxSide)
        {
            return (width, height);
        }

        var scale = (double)Thumbnail.MaxSide / longest;
        return (Math.Clamp((int)Math.Round(width * scale), 1, Thumbnail.MaxSide), Math.Clamp((int)Math.Round(height * scale), 1, Thumbnail.MaxSide));
    }

    /// <summary>The smallest size libjpeg-turbo decodes to natively (DCT scaling by n/8) that is still at least the
    /// thumbnail's: a 4000 × 3000 photo is decoded at 500 × 375, 1/64 of its pixels.</summary>
    private static SKSizeI ScaledSize(SKCodec codec, int width, int height)
    {
        for (var eighths = 1; eighths < 8; eighths++)
        {
            var size = codec.GetScaledDimensions(eighths / 8f);
            if (size.Width >= width && size.Height >= height)
            {
                return size;
            }
        }

        return codec.Info.Size;
    }

    private static BoxScaler? ShrinkRows(SKCodec codec, SKSizeI size, int width, int height, int orientation, CancellationToken cancellationToken)
    {
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul, Srgb);
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success)
        {
            return null;
        }

        var scaler = new BoxScaler(size.Width, size.Height, width, height, orientation);
        var row = GC.AllocateArray<byte>(info.RowBytes, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(row, 0);
        var bottomUp = codec.ScanlineOrder == SKCodecScanlineOrder.BottomUp;
        for (var y = 0; y < size.Height; y++)
        {
            if (y % 64 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            // Fewer lines than asked: the data ran out or is corrupt (Skia fills the rest; a thumbnail of that misleads).
            if (codec.GetScanlines(address, 1, info.RowBytes) != 1)
            {
                return null;
            }

            scaler.AddRow(bottomUp ? size.Height - 1 - y : y, row);
        }

        return scaler;
    }

    private static BoxScaler? ShrinkWhole(SKCodec codec, int width, int height, int orientation, CancellationToken cancellationToken)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul, Srgb);
        using var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info) || codec.GetPixels(info, bitmap.GetPixels()) != SKCodecResult.Success)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var scaler = new BoxScaler(info.Width, info.Height, width, height, orientation);
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < info.Height; y++)
        {
            scaler.AddRow(y, pixels.Slice(y * bitmap.RowBytes, info.RowBytes));
        }

        return scaler;
    }

    /// <summary>A baseline JPEG with no colour space attached, so the encoder writes no ICC profile (the pixels are
    /// already sRGB) and nothing else but JFIF.</summary>
    private static byte[] Encode(byte[] rgba, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = pixmap.Encode(new SKJpegEncoderOptions(Thumbnail.JpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
                ?? throw new InvalidOperationException("SkiaSharp could not encode a thumbnail of pixels it made.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
