using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Photoshop;
using MetadataExtractor.Formats.Xmp;
using Serverless.Files;

namespace Serverless.Tests.Files;

/// <summary>A stored photo keeps its pixels exactly as taken, its orientation and its capture time, and nothing that
/// says where it was taken or by which device. Metadata is read back with MetadataExtractor and pixels decoded with
/// SkiaSharp (MetadataExtractor is test-only; the app uses SkiaSharp only for thumbnails, never on the stored copy).</summary>
public sealed class PhotoCleanerTests
{
    private static (byte[] Cleaned, PhotoCleaning Cleaning) Clean(byte[] photo, FileType type)
    {
        using var output = new MemoryStream();
        var cleaning = new PhotoCleaner().Clean(new MemoryStream(photo), type, output);
        return (output.ToArray(), cleaning);
    }

    private static IReadOnlyList<MetadataExtractor.Directory> Metadata(byte[] photo) => ImageMetadataReader.ReadMetadata(new MemoryStream(photo));

    [Fact]
    public void APhonesJpegLosesGpsXmpIptcMakerNoteSerialNumbersThumbnailAndComments()
    {
        var original = TestPhotos.PhoneJpeg();
        Assert.NotEmpty(Metadata(original).OfType<GpsDirectory>()); // the test photo really has them
        Assert.NotEmpty(Metadata(original).OfType<XmpDirectory>());
        Assert.NotEmpty(Metadata(original).OfType<IptcDirectory>());
        Assert.NotEmpty(Metadata(original).OfType<ExifThumbnailDirectory>());

        var (cleaned, cleaning) = Clean(original, FileType.Jpeg);

        var metadata = Metadata(cleaned);
        Assert.Empty(metadata.OfType<GpsDirectory>());
        Assert.Empty(metadata.OfType<XmpDirectory>());
        Assert.Empty(metadata.OfType<IptcDirectory>());
        Assert.Empty(metadata.OfType<PhotoshopDirectory>());
        Assert.Empty(metadata.OfType<JpegCommentDirectory>());
        Assert.Empty(metadata.OfType<ExifThumbnailDirectory>());
        Assert.Empty(metadata.SelectMany(directory => directory.Errors));
        var ifd0 = Assert.Single(metadata.OfType<ExifIfd0Directory>());
        Assert.Equal([ExifDirectoryBase.TagOrientation], ifd0.Tags.Select(tag => tag.Type));
        var exif = Assert.Single(metadata.OfType<ExifSubIfdDirectory>());
        Assert.Equal(
            ["Date/Time Original=2025:06:14 09:30:05", "Time Zone Original=+09:00", "Sub-Sec Time Original=123"],
            exif.Tags.Select(tag => $"{tag.Name}={tag.Description}"));
        Assert.Equal(6, ifd0.GetInt32(ExifDirectoryBase.TagOrientation));
        Assert.Equal(
            [PhotoMetadata.Comment, PhotoMetadata.ExifGps, PhotoMetadata.ExifMakerNote, PhotoMetadata.ExifOther, PhotoMetadata.ExifThumbnail, PhotoMetadata.Iptc, PhotoMetadata.Other, PhotoMetadata.TrailingData, PhotoMetadata.Xmp],
            cleaning.Removed);
    }

    [Fact]
    public void CleaningAJpegCopiesItsTablesFrameAndEntropyCodedDataByteForByte()
    {
        var plain = TestPhotos.Jpeg(320, 240, quality: 85);
        var original = TestPhotos.PhoneJpeg(plain);

        var (cleaned, _) = Clean(original, FileType.Jpeg);

        static List<string> Tables(byte[] jpeg) => [.. TestPhotos.SegmentsBeforeScan(jpeg).Where(segment => segment.Marker is < 0xE0 or > 0xEF and not 0xFE).Select(segment => Convert.ToHexString(segment.Bytes))];
        Assert.Equal(Tables(plain), Tables(cleaned));
        Assert.Equal(TestPhotos.ScanToEnd(plain), TestPhotos.ScanToEnd(cleaned));
        Assert.True(cleaned.AsSpan().EndsWith(TestPhotos.ScanToEnd(plain))); // nothing after EOI: the HTML is gone
    }

    [Fact]
    public void CleaningAJpegDoesNotChangeOnePixel()
    {
        var plain = TestPhotos.Jpeg(320, 240, quality: 85);

        var (cleaned, _) = Clean(TestPhotos.PhoneJpeg(plain), FileType.Jpeg);

        Assert.Equal(TestPhotos.Pixels(plain), TestPhotos.Pixels(cleaned));
    }

    [Fact]
    public void TheJfifHeaderColourProfileAndAdobeTransformAreKeptByteForByte()
    {
        byte[] icc = [.. "ICC_PROFILE\0"u8, 1, 1, .. new byte[64]];
        byte[] adobe = [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 1];
        var plain = TestPhotos.Jpeg();
        var original = TestPhotos.Insert(plain, TestPhotos.Segment(0xE2, icc), TestPhotos.Segment(0xEE, adobe));

        var (cleaned, cleaning) = Clean(original, FileType.Jpeg);

        Assert.Equal(original, cleaned);
        Assert.Empty(cleaning.Removed);
    }

    [Fact]
    public void AJpegWithNothingToKeepGetsNoExifAtAll()
    {
        var exif = TestExif.Tiff([TestExif.Ascii(0x010F, "TestPhone")], [], [TestExif.Ascii(0x0001, "N")], null);
        var plain = TestPhotos.Jpeg();

        var (cleaned, cleaning) = Clean(TestPhotos.Insert(plain, TestPhotos.Segment(0xE1, [.. "Exif\0\0"u8, .. exif])), FileType.Jpeg);

        Assert.Equal(plain, cleaned);
        Assert.Equal([PhotoMetadata.ExifGps, PhotoMetadata.ExifOther], cleaning.Removed);
    }

    [Fact]
    public void KeptTagsMustHaveTheirStandardFormSoNothingRidesInThem()
    {
        var exif = TestExif.Tiff([TestExif.Short(0x0112, 99)], [TestExif.Ascii(0x9003, "2025:06:14 09:30:05 35.69N139.69E"), TestExif.Ascii(0x9011, "Tokyo")], [], null);
        var plain = TestPhotos.Jpeg();

        var (cleaned, _) = Clean(TestPhotos.Insert(plain, TestPhotos.Segment(0xE1, [.. "Exif\0\0"u8, .. exif])), FileType.Jpeg);

        Assert.Equal(plain, cleaned);
    }

    [Fact]
    public void APngLosesItsTextXmpTimeGpsAndTrailingDataButKeepsOrientationCaptureTimeAndImageData()
    {
        var plain = TestPhotos.Png();
        var original = TestPhotos.PhonePng(plain);

        var (cleaned, cleaning) = Clean(original, FileType.Png);

        Assert.Equal(
            [PhotoMetadata.ExifGps, PhotoMetadata.Text, PhotoMetadata.Time, PhotoMetadata.TrailingData, PhotoMetadata.Xmp],
            cleaning.Removed);
        var chunks = Chunks(cleaned);
        var expected = Chunks(plain).Select(chunk => chunk.Type).ToList();
        expected.Insert(1, "eXIf"); // the new one, where the old one was
        Assert.Equal(expected, chunks.Select(chunk => chunk.Type));
        Assert.Equal(Chunks(plain).Where(chunk => chunk.Type == "IDAT").Select(chunk => chunk.Hex), chunks.Where(chunk => chunk.Type == "IDAT").Select(chunk => chunk.Hex));
        Assert.Equal(TestPhotos.Pixels(plain), TestPhotos.Pixels(cleaned));
        var metadata = Metadata(cleaned);
        Assert.Empty(metadata.OfType<GpsDirectory>());
        Assert.Empty(metadata.OfType<XmpDirectory>());
        Assert.Equal(8, Assert.Single(metadata.OfType<ExifIfd0Directory>()).GetInt32(ExifDirectoryBase.TagOrientation));
        Assert.Equal("2025:06:15 18:02:44", Assert.Single(metadata.OfType<ExifSubIfdDirectory>()).GetString(ExifDirectoryBase.TagDateTimeOriginal));
    }

    [Fact]
    public void ThePhotoCleanerAsksForASeekableStream()
    {
        var failure = Assert.Throws<ArgumentException>(() => new PhotoCleaner().Clean(new ForwardOnlyStream(TestPhotos.Jpeg()), FileType.Jpeg, new MemoryStream()));

        Assert.Equal("input", failure.ParamName);
    }

    private static List<(string Type, string Hex)> Chunks(byte[] png)
    {
        var chunks = new List<(string, string)>();
        var at = 8;
        while (at < png.Length)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            chunks.Add((type, Convert.ToHexString(png, at, length + 12)));
            at += length + 12;
            if (type == "IEND")
            {
                break;
            }
        }

        return chunks;
    }
}
