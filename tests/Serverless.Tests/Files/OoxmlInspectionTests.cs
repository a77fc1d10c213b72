using System.Text;
using Serverless.Files;
using Serverless.Files.Ooxml;
using static Serverless.Tests.Files.Inspections;
using static Serverless.Tests.Files.TestPackages;

namespace Serverless.Tests.Files;

/// <summary>Word, Excel and PowerPoint files are read through their zip directory: macros, embedded objects,
/// external links and zip bombs are refused, and a bomb is caught without inflating it.</summary>
public sealed class OoxmlInspectionTests
{
    [Fact]
    public void ADocxWithAHyperlinkAndALocalTemplateIsAccepted()
    {
        var docx = Docx(
            ("word/_rels/document.xml.rels", Relationships("hyperlink", "https://www.city.midori.example/")),
            ("word/_rels/settings.xml.rels", Relationships("attachedTemplate", "file:///C:/Users/tanaka/Documents/診断書.dotx")));

        Assert.Equal("accepted:" + FileType.Docx.ContentType, Outcome(docx));
    }

    [Fact]
    public void ADocmIsRefusedForItsMacros()
    {
        Assert.Equal("refused:office-macro", Outcome(Docm()));
    }

    [Fact]
    public void AMacroProjectInADocxIsRefusedWhateverItsContentTypesSay()
    {
        Assert.Equal("refused:office-macro", Outcome(Docx(("word/vbaProject.bin", "VBA project"))));
        Assert.Equal("refused:office-macro", Outcome(Docx(("[override]/xl/macrosheets/sheet1.xml", "application/vnd.ms-excel.macrosheet+xml"))));
    }

    [Theory]
    [InlineData("word/embeddings/oleObject1.bin")]
    [InlineData("word/embeddings/Microsoft_Excel_Worksheet.xlsx")]
    [InlineData("word/activeX/activeX1.xml")]
    public void EmbeddedObjectsAndActiveXAreRefused(string part)
    {
        Assert.Equal("refused:office-embedded-object", Outcome(Docx((part, "x"))));
    }

    [Fact]
    public void AnHtmlChunkImportedByWordIsRefused()
    {
        Assert.Equal("refused:office-embedded-object", Outcome(Docx(("[override]/word/afchunk.mht", "message/rfc822"), ("word/afchunk.mht", "<html></html>"))));
    }

    [Fact]
    public void AZipInsideAPartIsRefusedAsAFileInsideTheFile()
    {
        var inner = Encoding.Latin1.GetString(Zip(("a.txt", "a")));

        Assert.Equal("refused:office-embedded-object", Outcome(Docx(("word/media/image1.png", inner))));
    }

    [Theory]
    [InlineData("attachedTemplate", "http://attacker.example/template.dotm")]
    [InlineData("attachedTemplate", "\\\\attacker\\share\\template.dotm")]
    [InlineData("image", "https://tracker.example/pixel.png")]
    [InlineData("oleObject", "file://attacker/share/x.xlsx")]
    public void ARemoteTemplateImageOrObjectIsRefused(string type, string target)
    {
        Assert.Equal("refused:office-external-link", Outcome(Docx(("word/_rels/settings.xml.rels", Relationships(type, target)))));
    }

    [Fact]
    public void LinksToOtherWorkbooksAreRefused()
    {
        Assert.Equal("refused:office-external-link", Outcome(Docx(("[override]/xl/externalLinks/externalLink1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"))));
    }

    [Fact]
    public void AZipBombNamedDocxDeclaringAGigabyteIsRefusedBeforeAnythingIsInflated()
    {
        // 1 GiB + 1 declared for a part whose compressed bytes are a few hundred: refused from the directory alone.
        byte[] bomb = RawZip([.. WordParts(), Deflated("word/media/image1.png", new byte[1024 * 1024], declared: (1024L * 1024 * 1024) + 1)]);
        var inspector = new OoxmlInspector(new MemoryStream(bomb), ZipLimits.Default, CancellationToken.None);

        Assert.Equal("refused:archive-limits", Outcome(inspector.Inspect()));
        Assert.Equal(0, inspector.Inflated);
    }

    [Fact]
    public void APartCompressedMoreThanAHundredFoldIsRefusedBeforeItIsInflated()
    {
        byte[] bomb = RawZip([.. WordParts(), Deflated("word/document2.xml", new byte[20 * 1024 * 1024])]); // 20 MiB of zeros in about 20 KB
        var inspector = new OoxmlInspector(new MemoryStream(bomb), ZipLimits.Default, CancellationToken.None);

        Assert.Equal("refused:archive-limits", Outcome(inspector.Inspect()));
        Assert.Equal(0, inspector.Inflated);
    }

    [Fact]
    public void APartThatInflatesToMoreThanItDeclaredIsStoppedOneBytePastTheDeclaredSize()
    {
        // Declares 10,000 bytes (a believable ratio) but holds 2 MiB of zeros: inflating stops at 10,001.
        var liar = Deflated("word/document2.xml", new byte[2 * 1024 * 1024], declared: 10_000);
        byte[] bomb = RawZip([.. WordParts(), liar]);
        var inspector = new OoxmlInspector(new MemoryStream(bomb), ZipLimits.Default, CancellationToken.None);

        Assert.Equal("refused:archive-limits", Outcome(inspector.Inspect()));
        var honest = WordParts().Sum(part => part.DeclaredUncompressed);
        Assert.Equal(honest + 10_001, inspector.Inflated);
    }

    [Fact]
    public void MorePartsThanTheLimitAreRefusedFromTheEndRecord()
    {
        var many = Enumerable.Range(0, 30).Select(i => ($"word/media/p{i}.xml", "<p/>")).ToArray();

        Assert.Equal("refused:archive-limits", Outcome(Inspect(Docx(many), ZipLimits.Default with { MaxEntries = 20 })));
        Assert.Equal("accepted:" + FileType.Docx.ContentType, Outcome(Inspect(Docx(many), ZipLimits.Default with { MaxEntries = 40 })));
    }

    [Fact]
    public void PartsDeclaringMoreThanTheTotalLimitAreRefused()
    {
        var parts = Enumerable.Range(0, 3).Select(i => Deflated($"word/media/{i}.bin", Encoding.ASCII.GetBytes(new string('a', 1000) + i))).ToArray();
        var limits = ZipLimits.Default with { MaxTotalUncompressedBytes = 2500 };

        Assert.Equal("refused:archive-limits", Outcome(Inspect(RawZip([.. WordParts(), .. parts]), limits)));
    }

    [Fact]
    public void APlainZipOrOneWithoutAKnownMainPartIsUnsupported()
    {
        Assert.Equal("refused:unsupported-type", Outcome(Zip(("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"))));
        Assert.Equal("refused:unsupported-type", Outcome(Package("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")));
    }

    [Fact]
    public void AWordPackageWrittenHeaderByHeaderIsAccepted()
    {
        Assert.Equal("accepted:" + FileType.Docx.ContentType, Outcome(RawZip(WordParts())));
    }

    [Fact]
    public void HtmlAfterTheDirectoryOrAZipCutOffIsRefusedAsDamaged()
    {
        var docx = Docx();

        Assert.Equal("refused:damaged", Outcome([.. docx, .. Encoding.ASCII.GetBytes(TestPhotos.Html)]));
        Assert.Equal("refused:damaged", Outcome(docx[..^30]));
    }

    [Fact]
    public void BytesHiddenBetweenPartsAreRefusedAsDamaged()
    {
        // The second part's offsets in the directory are moved past 16 inserted bytes, as a polyglot would need.
        var parts = WordParts();
        var zip = RawZip(parts);
        var second = 30 + Encoding.UTF8.GetByteCount(parts[0].Name) + parts[0].Stored.Length;
        byte[] hidden = [.. zip[..second], .. Encoding.ASCII.GetBytes("<script></script>"), .. zip[second..]];
        var directory = hidden.AsSpan().IndexOf([(byte)0x50, (byte)0x4B, (byte)0x01, (byte)0x02]);
        var secondRecord = hidden.AsSpan(directory + 1).IndexOf([(byte)0x50, (byte)0x4B, (byte)0x01, (byte)0x02]) + directory + 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(hidden.AsSpan(secondRecord + 42), (uint)(second + 17));
        var end = hidden.Length - 22;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(hidden.AsSpan(end + 16), (uint)directory);

        Assert.Equal("refused:damaged", Outcome(hidden));
    }

    [Fact]
    public void HtmlBeforeTheZipIsRefusedAsUnsupported()
    {
        Assert.Equal("refused:unsupported-type", Outcome([.. Encoding.ASCII.GetBytes(TestPhotos.Html), .. Docx()]));
    }

    [Theory]
    [InlineData("../../evil.xml")]
    [InlineData("/etc/passwd")]
    [InlineData("word\\..\\evil.xml")]
    [InlineData("C:/evil.xml")]
    public void APartNameThatClimbsOutOfItsFolderIsRefusedAsDamaged(string name)
    {
        Assert.Equal("refused:damaged", Outcome(RawZip([.. WordParts(), Deflated(name, "<x/>")])));
    }

    [Fact]
    public void TheSamePartTwiceIsRefusedAsDamaged()
    {
        Assert.Equal("refused:damaged", Outcome(RawZip([.. WordParts(), Deflated("WORD/document.xml", "<document/>")])));
    }

    [Fact]
    public void AWrongCrcIsRefusedAsDamaged()
    {
        var part = Deflated("word/document2.xml", "<x/>") with { Crc = 1 };

        Assert.Equal("refused:damaged", Outcome(RawZip([.. WordParts(), part])));
    }

    [Fact]
    public void ADocumentTypeDeclarationInContentTypesIsRefusedAsDamaged()
    {
        var laughs = "<?xml version=\"1.0\"?><!DOCTYPE Types [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + $"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"{WordMain}\"/><!-- &b; --></Types>";

        Assert.Equal("refused:damaged", Outcome(RawZip(Deflated("[Content_Types].xml", laughs), Deflated("word/document.xml", "<document/>"))));
    }
}
