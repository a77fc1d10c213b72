using System.Text;
using Serverless.Files;
using Serverless.Problems;
using static Serverless.Tests.Files.Inspections;

namespace Serverless.Tests.Files;

/// <summary>The type comes from the content, never the name: what is accepted and what is refused, with why.</summary>
public sealed class FileInspectorTests
{
    [Fact]
    public void EachAcceptedKindIsRecognisedFromItsContentWithTheTypeItIsServedAs()
    {
        Assert.Equal(new FileInspection.Accepted(FileType.Jpeg), Inspect(TestPhotos.Jpeg()));
        Assert.Equal(new FileInspection.Accepted(FileType.Png), Inspect(TestPhotos.Png()));
        Assert.Equal(new FileInspection.Accepted(FileType.Pdf), Inspect(TestPdfs.Letter()));
        Assert.Equal(new FileInspection.Accepted(FileType.Docx), Inspect(TestPackages.Docx()));
        Assert.Equal(new FileInspection.Accepted(FileType.Xlsx), Inspect(TestPackages.Xlsx()));
        Assert.Equal(new FileInspection.Accepted(FileType.Pptx), Inspect(TestPackages.Pptx()));
        Assert.Equal(
            ["image/jpeg .jpg", "image/png .png", "application/pdf .pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document .docx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet .xlsx", "application/vnd.openxmlformats-officedocument.presentationml.presentation .pptx"],
            FileType.All.Select(type => $"{type.ContentType} {type.Extension}"));
    }

    [Fact]
    public void HtmlNamedJpgIsRefusedAsUnsupported()
    {
        // The name ("injury.jpg") never reaches the inspector: only the bytes do.
        Assert.Equal("refused:unsupported-type", Outcome(Encoding.UTF8.GetBytes(TestPhotos.Html)));
        Assert.Equal("refused:unsupported-type", Outcome([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("<html><body>写真</body></html>")]));
    }

    [Fact]
    public void AnSvgIsRefusedAsUnsupported()
    {
        var svg = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"10\" height=\"10\"/></svg>";

        Assert.Equal("refused:unsupported-type", Outcome(Encoding.UTF8.GetBytes(svg)));
    }

    [Fact]
    public void ScriptsProgramsPlainZipsAndUnknownBytesAreRefusedAsUnsupported()
    {
        Assert.Equal("refused:unsupported-type", Outcome(Encoding.ASCII.GetBytes("#!/bin/sh\nrm -rf /\n")));
        Assert.Equal("refused:unsupported-type", Outcome([(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0]));
        Assert.Equal("refused:unsupported-type", Outcome(TestPackages.Zip(("readme.txt", "hello"), ("photo.jpg", "not really"))));
        Assert.Equal("refused:unsupported-type", Outcome([1, 2, 3]));
        Assert.Equal("refused:unsupported-type", Outcome(Encoding.ASCII.GetBytes("GIF89a\x01\0\x01\0")));
    }

    [Fact]
    public void AnEmptyFileIsRefusedAsEmpty()
    {
        Assert.Equal("refused:empty", Outcome([]));
    }

    [Theory]
    [InlineData("heic", "mif1")]
    [InlineData("mif1", "heic")]
    [InlineData("heix", "mif1")]
    [InlineData("msf1", "hevc")]
    public void HeicIsRefusedWithAMessageSayingHowToSendJpeg(string major, string compatible)
    {
        byte[] heic = [0, 0, 0, 0x18, .. "ftyp"u8, .. Encoding.ASCII.GetBytes(major), 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(compatible), .. "miaf"u8, 0, 0, 0, 8, .. "meta"u8];

        var rejected = Assert.IsType<FileInspection.Rejected>(Inspect(heic));

        Assert.Equal(FileRejections.Heic, rejected.Rejection.Reason);
        Assert.Equal(
            "HEIC形式の写真（iPhoneの標準の形式）は受け付けていません。JPEGで送ってください。iPhoneでは「設定」→「カメラ」→「フォーマット」→「互換性優先」を選ぶと、以後の写真がJPEGで保存されます。撮影済みの写真は、パソコンなどでJPEGに書き出してから送り、元の写真は消さずに保管してください。",
            rejected.Rejection.Message(ProblemLanguage.Japanese));
        Assert.StartsWith("HEIC photos (the iPhone's default format) are not accepted: send JPEG.", rejected.Rejection.Message(ProblemLanguage.English), StringComparison.Ordinal);
    }

    [Fact]
    public void AvifAndMp4AreUnsupportedRatherThanHeic()
    {
        Assert.Equal("refused:unsupported-type", Outcome([0, 0, 0, 0x18, .. "ftyp"u8, .. "avif"u8, 0, 0, 0, 0, .. "mif1"u8, .. "miaf"u8]));
        Assert.Equal("refused:unsupported-type", Outcome([0, 0, 0, 0x18, .. "ftyp"u8, .. "isom"u8, 0, 0, 2, 0, .. "isom"u8, .. "mp41"u8]));
    }

    [Fact]
    public void AJpegCutOffBeforeItsEndIsRefusedAsDamaged()
    {
        var jpeg = TestPhotos.Jpeg();

        Assert.Equal("refused:damaged", Outcome(jpeg[..^2])); // no EOI
        Assert.Equal("refused:damaged", Outcome(jpeg[..(jpeg.Length / 2)]));
        Assert.Equal("refused:damaged", Outcome([0xFF, 0xD8, 0xFF, 0xD9])); // no frame, no scan
    }

    [Fact]
    public void AJpegStartThenHtmlIsRefusedAsDamaged()
    {
        Assert.Equal("refused:damaged", Outcome([0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x04, (byte)'h', (byte)'i', .. Encoding.ASCII.GetBytes(TestPhotos.Html)]));
    }

    [Fact]
    public void AJpegWithHtmlInACommentOrAfterItsEndIsAcceptedBecauseCleaningDropsBoth()
    {
        // Both polyglots are images to a browser and pages only to a sniffer; the stored copy has neither part (PhotoCleanerTests).
        Assert.Equal("accepted:image/jpeg", Outcome(TestPhotos.PhoneJpeg()));
    }

    [Fact]
    public void AnArithmeticCodedJpegIsRefusedAsUnsupported()
    {
        var jpeg = TestPhotos.Jpeg();
        var at = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        jpeg[at + 1] = 0xC9;

        Assert.Equal("refused:unsupported-type", Outcome(jpeg));
    }

    [Fact]
    public void AnImageDeclaringMorePixelsThanTheLimitIsRefusedWithTheLimit()
    {
        var jpeg = TestPhotos.Jpeg();
        var at = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        jpeg[at + 5] = 0xFF; // height 65,535 …
        jpeg[at + 6] = 0xFF;
        jpeg[at + 7] = 0xFF; // … width 65,535: 4.3 gigapixels in a few kilobytes
        jpeg[at + 8] = 0xFF;

        var rejected = Assert.IsType<FileInspection.Rejected>(Inspect(jpeg));

        Assert.Equal(FileRejections.ImageTooLarge, rejected.Rejection.Reason);
        Assert.Equal("画像の縦横の画素数が大きすぎます（上限は合計200メガピクセル）。カメラで撮影した写真をそのまま送ってください。", rejected.Rejection.Message(ProblemLanguage.Japanese));
    }

    [Fact]
    public void APngWithABadCrcOrNoEndIsRefusedAsDamaged()
    {
        var png = TestPhotos.Png();
        var badCrc = png.ToArray();
        badCrc[8 + 8 + 13] ^= 0x01; // IHDR's CRC

        Assert.Equal("refused:damaged", Outcome(badCrc));
        Assert.Equal("refused:damaged", Outcome(png[..^12])); // no IEND
    }

    [Fact]
    public void APngDeclaringMorePixelsThanTheLimitIsRefused()
    {
        byte[] header = [0, 0, 0x40, 0, 0, 0, 0x40, 0, 8, 2, 0, 0, 0]; // 16,384 × 16,384
        byte[] png = [.. TestPhotos.Png()[..8], .. TestPhotos.Chunk("IHDR", header), .. TestPhotos.Png()[33..]];

        Assert.Equal("refused:image-too-large", Outcome(png));
    }

    [Fact]
    public void APngWithAnUnknownCriticalChunkIsRefusedAsUnsupported()
    {
        var png = TestPhotos.Png();
        byte[] apple = [.. png[..8], .. TestPhotos.Chunk("CgBI", [0x50, 0, 0x20, 0x02]), .. png[8..]];

        Assert.Equal("refused:damaged", Outcome(apple)); // CgBI before IHDR: IHDR must come first
        byte[] afterHeader = [.. png[..33], .. TestPhotos.Chunk("ABCD", [1]), .. png[33..]];
        Assert.Equal("refused:unsupported-type", Outcome(afterHeader));
    }

    [Fact]
    public void Crc32MatchesThePngStandardsValueForIend()
    {
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }

    [Fact]
    public void EveryReasonHasAJapaneseAndAnEnglishMessage()
    {
        var reasons = typeof(FileRejections).GetFields().Where(field => field.IsLiteral).Select(field => (string)field.GetValue(null)!).ToList();

        Assert.Equal(15, reasons.Count);
        Assert.Equal(reasons.Order(StringComparer.Ordinal), FileRejections.Messages.Keys.Order(StringComparer.Ordinal));
        Assert.All(FileRejections.Messages.Values, message => Assert.True(message.Ja.Length > 10 && message.En.Length > 10));
    }

    [Fact]
    public void TheInspectorAsksForASeekableStream()
    {
        var failure = Assert.Throws<ArgumentException>(() => new FileInspector().Inspect(new ForwardOnlyStream(TestPhotos.Jpeg())));

        Assert.Equal("content", failure.ParamName);
    }
}
