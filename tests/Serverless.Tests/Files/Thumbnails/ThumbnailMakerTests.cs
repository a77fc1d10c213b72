using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Xmp;
using Serverless.Files;
using Serverless.Files.Thumbnails;
using SkiaSharp;
using static Serverless.Tests.Files.Thumbnails.TestImages;

namespace Serverless.Tests.Files.Thumbnails;

/// <summary>A stored photo's thumbnail is a JPEG at most 320 pixels on its longest side, upright whatever the photo's
/// EXIF orientation, with no metadata; photos it cannot decode, or not cheaply enough, get none, and say why.</summary>
public sealed class ThumbnailMakerTests
{
    private static async Task<(ThumbnailResult Result, byte[] Thumbnail)> MakeAsync(byte[] photo, FileType type)
    {
        using var destination = new MemoryStream();
        var result = await new ThumbnailMaker().MakeAsync(new MemoryStream(photo), type, destination);
        return (result, destination.ToArray());
    }

    private static FileType TypeOf(byte[] photo) => photo[0] == 0xFF ? FileType.Jpeg : FileType.Png;

    private static void AssertJpegOfSize(byte[] thumbnail, int width, int height)
    {
        using var codec = SKCodec.Create(new MemoryStream(thumbnail));
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
        Assert.Equal((width, height), (codec.Info.Width, codec.Info.Height));
    }

    /// <summary>The red quadrant is at the top left and the other three are blue.</summary>
    private static void AssertUpright(byte[] thumbnail)
    {
        Assert.True(IsNear(ColorAt(thumbnail, 0.25, 0.25), Red), $"top left is {ColorAt(thumbnail, 0.25, 0.25)}");
        foreach (var (x, y) in new[] { (0.75, 0.25), (0.75, 0.75), (0.25, 0.75) })
        {
            Assert.True(IsNear(ColorAt(thumbnail, x, y), Blue), $"({x}, {y}) is {ColorAt(thumbnail, x, y)}");
        }
    }

    [Theory]
    [InlineData("jpeg", 4000, 3000, 320, 240)]
    [InlineData("jpeg", 3000, 4000, 240, 320)]
    [InlineData("jpeg", 1001, 333, 320, 106)]
    [InlineData("png", 1600, 1200, 320, 240)]
    [InlineData("png", 1200, 1600, 240, 320)]
    [InlineData("png", 333, 1001, 106, 320)]
    public async Task LandscapeAndPortraitPhotosGiveAJpegWhoseLongestSideIs320(string kind, int width, int height, int thumbnailWidth, int thumbnailHeight)
    {
        var photo = kind == "jpeg" ? Jpeg(width, height) : Png(width, height);

        var (result, thumbnail) = await MakeAsync(photo, TypeOf(photo));

        Assert.Equal(new ThumbnailResult.Made(thumbnailWidth, thumbnailHeight, thumbnail.Length), result);
        AssertJpegOfSize(thumbnail, thumbnailWidth, thumbnailHeight);
        AssertUpright(thumbnail);
    }

    /// <summary>For each EXIF orientation, the stored image is the upright one (400 × 200, red top left) as a camera
    /// would store it: EXIF 2.32 says where the stored row 0 and column 0 are seen, so e.g. 6 (row 0 is the right
    /// side, column 0 the top) stores the upright image turned a quarter anticlockwise, red at the bottom left.</summary>
    [Theory]
    [InlineData("jpeg", 1, Quadrant.TopLeft, false)]
    [InlineData("jpeg", 2, Quadrant.TopRight, false)]
    [InlineData("jpeg", 3, Quadrant.BottomRight, false)]
    [InlineData("jpeg", 4, Quadrant.BottomLeft, false)]
    [InlineData("jpeg", 5, Quadrant.TopLeft, true)]
    [InlineData("jpeg", 6, Quadrant.BottomLeft, true)]
    [InlineData("jpeg", 7, Quadrant.BottomRight, true)]
    [InlineData("jpeg", 8, Quadrant.TopRight, true)]
    [InlineData("png", 1, Quadrant.TopLeft, false)]
    [InlineData("png", 2, Quadrant.TopRight, false)]
    [InlineData("png", 3, Quadrant.BottomRight, false)]
    [InlineData("png", 4, Quadrant.BottomLeft, false)]
    [InlineData("png", 5, Quadrant.TopLeft, true)]
    [InlineData("png", 6, Quadrant.BottomLeft, true)]
    [InlineData("png", 7, Quadrant.BottomRight, true)]
    [InlineData("png", 8, Quadrant.TopRight, true)]
    public async Task EachExifOrientationGivesAnUprightThumbnail(string kind, int orientation, Quadrant storedRed, bool storedOnItsSide)
    {
        var (width, height) = storedOnItsSide ? (200, 400) : (400, 200);
        var stored = kind == "jpeg" ? Jpeg(width, height, storedRed) : Png(width, height, storedRed);
        var photo = WithOrientation(stored, orientation);
        var cleaned = new MemoryStream();
        new PhotoCleaner().Clean(new MemoryStream(photo), TypeOf(photo), cleaned); // as stored: the cleaner keeps Orientation

        var (result, thumbnail) = await MakeAsync(cleaned.ToArray(), TypeOf(photo));

        Assert.Equal(new ThumbnailResult.Made(320, 160, thumbnail.Length), result);
        AssertJpegOfSize(thumbnail, 320, 160);
        AssertUpright(thumbnail);
    }

    [Fact]
    public async Task APngsTransparentPixelsAreWhiteInTheThumbnail()
    {
        var photo = Png(640, 480, Quadrant.TopLeft, transparentBottom: true);

        var (result, thumbnail) = await MakeAsync(photo, FileType.Png);

        Assert.Equal(new ThumbnailResult.Made(320, 240, thumbnail.Length), result);
        Assert.True(IsNear(ColorAt(thumbnail, 0.25, 0.25), Red));
        Assert.True(IsNear(ColorAt(thumbnail, 0.75, 0.25), Blue));
        Assert.True(IsNear(ColorAt(thumbnail, 0.25, 0.75), SKColors.White, 8), $"{ColorAt(thumbnail, 0.25, 0.75)}");
        Assert.True(IsNear(ColorAt(thumbnail, 0.75, 0.75), SKColors.White, 8), $"{ColorAt(thumbnail, 0.75, 0.75)}");
    }

    [Theory]
    [InlineData("jpeg", 200, 100)]
    [InlineData("jpeg", 320, 320)]
    [InlineData("png", 1, 1)]
    [InlineData("png", 60, 319)]
    public async Task APhotoSmallerThanAThumbnailKeepsItsSize(string kind, int width, int height)
    {
        var photo = kind == "jpeg" ? Jpeg(width, height) : Png(width, height);

        var (result, thumbnail) = await MakeAsync(photo, TypeOf(photo));

        Assert.Equal(new ThumbnailResult.Made(width, height, thumbnail.Length), result);
        AssertJpegOfSize(thumbnail, width, height);
    }

    /// <summary>A Display P3 photo (an iPhone's) carries its ICC profile in the stored copy; the thumbnail carries
    /// none, so its pixels are converted to sRGB.</summary>
    [Fact]
    public async Task APhotoInDisplayP3IsConvertedToSrgb()
    {
        using var p3 = SKColorSpace.CreateRgb(SKColorSpaceTransferFn.Srgb, SKColorSpaceXyz.DisplayP3);
        using var bitmap = new SKBitmap(new SKImageInfo(400, 300, SKColorType.Rgba8888, SKAlphaType.Opaque, p3));
        var pixels = bitmap.GetPixelSpan();
        for (var at = 0; at < pixels.Length; at += 4)
        {
            (pixels[at], pixels[at + 1], pixels[at + 2], pixels[at + 3]) = (40, 170, 60, 255); // P3 values as they are (Erase would convert from sRGB)
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, 95);
        var photo = encoded.ToArray();
        Assert.Contains((byte)0xE2, TestPhotos.SegmentsBeforeScan(photo).Select(segment => segment.Marker)); // the ICC profile
        using var srgbBitmap = new SKBitmap(new SKImageInfo(400, 300, SKColorType.Rgba8888, SKAlphaType.Opaque, SKColorSpace.CreateSrgb()));
        using (var codec = SKCodec.Create(new MemoryStream(photo)))
        {
            Assert.Equal(SKCodecResult.Success, codec.GetPixels(srgbBitmap.Info, srgbBitmap.GetPixels()));
        }

        var expected = srgbBitmap.GetPixel(200, 150);
        Assert.False(IsNear(expected, new SKColor(40, 170, 60), 10), $"{expected}"); // converting changes it

        var (_, thumbnail) = await MakeAsync(photo, FileType.Jpeg);

        Assert.DoesNotContain((byte)0xE2, TestPhotos.SegmentsBeforeScan(thumbnail).Select(segment => segment.Marker));
        Assert.True(IsNear(ColorAt(thumbnail, 0.5, 0.5), expected, 6), $"{ColorAt(thumbnail, 0.5, 0.5)}, not {expected}");
    }

    [Fact]
    public async Task AProgressiveJpegIsThumbnailed()
    {
        var photo = TestProgressiveJpeg.Encode(Pixels(640, 480, Quadrant.TopLeft), 640, 480);
        Assert.Contains((byte)0xC2, TestPhotos.SegmentsBeforeScan(photo).Select(segment => segment.Marker)); // really progressive
        Assert.True(IsNear(ColorAt(photo, 0.25, 0.25), Red)); // and really decodable

        var (result, thumbnail) = await MakeAsync(photo, FileType.Jpeg);

        Assert.Equal(new ThumbnailResult.Made(320, 240, thumbnail.Length), result);
        AssertUpright(thumbnail);
    }

    [Fact]
    public async Task AnInterlacedPngIsThumbnailed()
    {
        var photo = InterlacedPng(Pixels(400, 300, Quadrant.TopLeft), 400, 300);
        Assert.True(IsNear(ColorAt(photo, 0.25, 0.25), Red)); // the test's encoder is right

        var (result, thumbnail) = await MakeAsync(photo, FileType.Png);

        Assert.Equal(new ThumbnailResult.Made(320, 240, thumbnail.Length), result);
        AssertUpright(thumbnail);
    }

    /// <summary>A PNG is decoded whole (SkiaSharp has no row-by-row PNG decoder), so above 2 megapixels it gets none.</summary>
    [Theory]
    [InlineData(1448, 1448, true)] // 2,096,704 pixels: 8 MiB less 1,792 bytes
    [InlineData(1449, 1448, false)] // 2,098,152 pixels
    public async Task APngIsThumbnailedUpToTwoMegapixels(int width, int height, bool made)
    {
        var photo = Png(width, height);

        var (result, thumbnail) = await MakeAsync(photo, FileType.Png);

        Assert.Equal(made ? new ThumbnailResult.Made(320, 320 * height / width, thumbnail.Length) : new ThumbnailResult.NotMade(Thumbnail.TooLargeToThumbnail), result);
        Assert.Equal(made, thumbnail.Length > 0);
    }

    /// <summary>libjpeg-turbo holds a progressive JPEG's coefficients for the whole image (2 bytes a sample; 3
    /// samples a pixel at 4:4:4), so one over 8 MiB of them gets none.</summary>
    [Theory]
    [InlineData(1392, 1000, true)] // 174 × 125 blocks × 3 × 128 bytes = 8,352,000
    [InlineData(1400, 1000, false)] // 175 × 125 × 3 × 128 = 8,400,000
    public async Task AProgressiveJpegIsThumbnailedUpToEightMebibytesOfCoefficients(int width, int height, bool made)
    {
        var photo = TestProgressiveJpeg.Encode(Pixels(width, height, Quadrant.TopLeft), width, height);

        var (result, _) = await MakeAsync(photo, FileType.Jpeg);

        Assert.Equal(made, result is ThumbnailResult.Made);
        if (!made)
        {
            Assert.Equal(new ThumbnailResult.NotMade(Thumbnail.TooLargeToThumbnail), result);
        }
    }

    [Theory]
    [InlineData("jpeg cut in half")]
    [InlineData("jpeg without a scan")]
    [InlineData("png whose image data ends early")]
    [InlineData("png cut in half")]
    [InlineData("progressive jpeg cut in half")]
    [InlineData("jpeg called png")]
    [InlineData("zeros called jpeg")]
    public async Task APhotoThatDoesNotDecodeIsUndecodableWithoutAnException(string damage)
    {
        var jpeg = Jpeg(800, 600);
        var png = Png(800, 600);
        var progressive = TestProgressiveJpeg.Encode(Pixels(400, 300, Quadrant.TopLeft), 400, 300);
        var (photo, type) = damage switch
        {
            "jpeg cut in half" => (jpeg[..(jpeg.Length / 2)], FileType.Jpeg),
            "jpeg without a scan" => ([.. jpeg[..(TestPhotos.SegmentsBeforeScan(jpeg).Sum(segment => segment.Bytes.Length) + 2)], 0xFF, 0xD9], FileType.Jpeg),
            "png whose image data ends early" => (PngWithHalfItsImageData(png), FileType.Png),
            "png cut in half" => (png[..(png.Length / 2)], FileType.Png),
            "progressive jpeg cut in half" => (progressive[..(progressive.Length / 2)], FileType.Jpeg),
            "jpeg called png" => (jpeg, FileType.Png),
            _ => (new byte[4096], FileType.Jpeg),
        };

        var (result, thumbnail) = await MakeAsync(photo, type);

        Assert.Equal(new ThumbnailResult.NotMade(Thumbnail.Undecodable), result);
        Assert.Empty(thumbnail);
    }

    /// <summary>A JPEG whose image data ends early but which still ends with EOI is another matter: libjpeg-turbo
    /// fills the missing rows with grey (as browsers show the stored photo), and SkiaSharp reports no error.</summary>
    [Fact]
    public async Task AJpegWhoseImageDataEndsEarlyIsThumbnailedAsBrowsersShowIt()
    {
        var jpeg = Jpeg(800, 600);
        byte[] photo = [.. jpeg[..(jpeg.Length - 200)], 0xFF, 0xD9];

        var (result, _) = await MakeAsync(photo, FileType.Jpeg);

        Assert.Equal(320, Assert.IsType<ThumbnailResult.Made>(result).Width);
    }

    [Fact]
    public async Task AFileThatIsNotAPhotoGetsNoThumbnail()
    {
        var (result, thumbnail) = await MakeAsync(TestPdfs.Letter(), FileType.Pdf);

        Assert.Equal(new ThumbnailResult.NotMade(Thumbnail.NotAnImage), result);
        Assert.Empty(thumbnail);
    }

    /// <summary>Fed a phone's photo with all its metadata (not even cleaned first), the thumbnail has JFIF, tables,
    /// one frame and one scan: no EXIF, XMP, ICC, IPTC, comment or anything after EOI.</summary>
    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    public async Task AThumbnailHasNoMetadata(string kind)
    {
        var photo = kind == "jpeg" ? TestPhotos.PhoneJpeg(Jpeg(800, 400, Quadrant.BottomLeft)) : TestPhotos.PhonePng(Png(800, 400, Quadrant.TopRight));
        Assert.NotEmpty(ImageMetadataReader.ReadMetadata(new MemoryStream(photo)).OfType<XmpDirectory>()); // the photo really has it

        var (result, thumbnail) = await MakeAsync(photo, TypeOf(photo));

        // Orientation 6 (the phone JPEG) and 8 (the phone PNG) both turn 800 × 400 on its side, red to the top left.
        Assert.Equal(new ThumbnailResult.Made(160, 320, thumbnail.Length), result);
        AssertUpright(thumbnail);
        var segments = TestPhotos.SegmentsBeforeScan(thumbnail);
        Assert.All(segments, segment => Assert.Contains(segment.Marker, new byte[] { 0xE0, 0xDB, 0xC0, 0xC4, 0xDD }));
        var app0 = Assert.Single(segments, segment => segment.Marker == 0xE0);
        Assert.True(app0.Bytes.AsSpan(4).StartsWith("JFIF\0"u8));
        Assert.Equal(1, thumbnail.AsSpan().Count([(byte)0xFF, (byte)0xDA])); // one scan (baseline)
        Assert.True(thumbnail.AsSpan().EndsWith([(byte)0xFF, (byte)0xD9]));
        var metadata = ImageMetadataReader.ReadMetadata(new MemoryStream(thumbnail));
        Assert.Empty(metadata.OfType<ExifIfd0Directory>());
        Assert.Empty(metadata.OfType<XmpDirectory>());
    }

    /// <summary>Every chunk intact (CRCs right, IEND last), but the compressed image data stops halfway.</summary>
    private static byte[] PngWithHalfItsImageData(byte[] png)
    {
        var idat = new List<byte>();
        for (var at = 33; at < png.Length;)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (png.AsSpan(at + 4, 4).SequenceEqual("IDAT"u8))
            {
                idat.AddRange(png.AsSpan(at + 8, length));
            }

            at += 12 + length;
        }

        return [.. png[..33], .. TestPhotos.Chunk("IDAT", [.. idat.Take(idat.Count / 2)]), .. TestPhotos.Chunk("IEND", [])];
    }
}
