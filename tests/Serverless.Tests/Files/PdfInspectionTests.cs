using System.Text;
using Serverless.Files;
using static Serverless.Tests.Files.Inspections;

namespace Serverless.Tests.Files;

/// <summary>A PDF is stored only when nothing in it runs, reaches out or carries another file, and it can be read
/// through to its end.</summary>
public sealed class PdfInspectionTests
{
    [Fact]
    public void AOnePageLetterIsAccepted()
    {
        Assert.Equal("accepted:application/pdf", Outcome(TestPdfs.Letter()));
    }

    [Fact]
    public void APdfWithJavaScriptIsRefused()
    {
        var pdf = TestPdfs.With("/OpenAction 4 0 R", "<< /Type /Action /S /JavaScript /JS (app.alert\\('hello'\\)) >>");

        Assert.Equal("refused:pdf-active-content", Outcome(pdf));
    }

    [Fact]
    public void AnOpenActionWithOnlyAJsKeyIsRefused()
    {
        // No /S /JavaScript: the /JS key alone is enough for some readers.
        Assert.Equal("refused:pdf-active-content", Outcome(TestPdfs.With("/OpenAction << /JS 4 0 R >>", TestPdfs.Stream("<< /Length {0} >>", "app.alert(1)"))));
    }

    [Fact]
    public void JavaScriptSpelledWithHexEscapesIsStillRefused()
    {
        Assert.Equal("refused:pdf-active-content", Outcome(TestPdfs.With("/Names << /J#61vaScript 4 0 R >>", "<< /Names [(x) 5 0 R] >>")));
    }

    [Theory]
    [InlineData("/OpenAction << /S /Launch /F (cmd.exe) >>", "refused:pdf-active-content")]
    [InlineData("/OpenAction << /S /GoToR /F (\\\\\\\\attacker\\\\share\\\\a.pdf) /D [0 /Fit] >>", "refused:pdf-active-content")]
    [InlineData("/AcroForm << /XFA 4 0 R >>", "refused:pdf-active-content")]
    [InlineData("/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>", "refused:pdf-embedded-file")]
    public void LaunchRemoteFilesXfaAndEmbeddedFilesAreRefused(string catalogExtra, string outcome)
    {
        Assert.Equal(outcome, Outcome(TestPdfs.With(catalogExtra, "<< /Type /Filespec >>")));
    }

    [Fact]
    public void AnEmbeddedFileStreamIsRefused()
    {
        Assert.Equal("refused:pdf-embedded-file", Outcome(TestPdfs.With("", TestPdfs.Stream("<< /Type /EmbeddedFile /Length {0} >>", "MZ..."))));
    }

    [Fact]
    public void RichMediaIsRefused()
    {
        Assert.Equal("refused:pdf-active-content", Outcome(TestPdfs.With("", "<< /Type /Annot /Subtype /RichMedia >>")));
    }

    [Fact]
    public void AnEncryptedPdfIsRefused()
    {
        Assert.Equal("refused:pdf-encrypted", Outcome(TestPdfs.With("", "<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>", "<< /Root 1 0 R /Encrypt 4 0 R >>")));
    }

    [Fact]
    public void JavaScriptInsideACompressedObjectStreamIsRefused()
    {
        Assert.Equal("accepted:application/pdf", Outcome(TestPdfs.WithObjectStream("")));
        Assert.Equal("refused:pdf-active-content", Outcome(TestPdfs.WithObjectStream("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")));
        Assert.Equal("refused:pdf-active-content", Outcome(TestPdfs.WithObjectStream("/OpenAction << /JS (app.alert(1)) >>")));
    }

    [Fact]
    public void AnObjectStreamThisScannerCannotUndoIsRefusedAsNotInspectable()
    {
        Assert.Equal("refused:cannot-inspect", Outcome(TestPdfs.WithObjectStream("", "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>")));
        Assert.Equal("refused:cannot-inspect", Outcome(TestPdfs.WithObjectStream("", "/Filter [/ASCII85Decode /FlateDecode]")));
    }

    [Fact]
    public void ObjectStreamsInflatingPastTheBudgetAreRefusedAsNotInspectable()
    {
        var pdf = TestPdfs.WithObjectStream("/Padding (" + new string('x', 4000) + ")");
        var inspector = new FileInspector(Serverless.Files.Ooxml.ZipLimits.Default, ImageLimits.DefaultMaxPixels, pdfInflateBudget: 1000);

        Assert.Equal("refused:cannot-inspect", Outcome(inspector.Inspect(new MemoryStream(pdf))));
    }

    [Fact]
    public void ShortNamesInsideImageDataAreNotMistakenForScripts()
    {
        // Random compressed bytes spell "/JS " about once in a few hundred MB; an image stream must not refuse a letter.
        var image = TestPdfs.Stream("<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length {0} >>", "\u00FF\u00D8 /JS /XFA /Encrypt \u00FF\u00D9");

        Assert.Equal("accepted:application/pdf", Outcome(TestPdfs.With("", image)));
    }

    [Fact]
    public void LongNamesInsideStreamDataAreStillRefused()
    {
        // A reader that follows the cross-reference table may parse an object hidden inside another's stream data.
        var hidden = TestPdfs.Stream("<< /Length {0} >>", "5 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj");

        Assert.Equal("refused:pdf-active-content", Outcome(TestPdfs.With("", hidden)));
    }

    [Fact]
    public void AStreamThatNeverEndsIsRefusedAsDamaged()
    {
        // Everything after "stream" would be read as data, where the short names are not looked for.
        var pdf = TestPdfs.With("", "<< /Length 5 >>\nstream\nabcde\nendstreaX", "<< /OpenAction << /JS (app.alert(1)) >> >>");

        Assert.Equal("refused:damaged", Outcome(pdf));
    }

    [Fact]
    public void HtmlAppendedAfterTheEndIsRefused()
    {
        Assert.Equal("refused:unsupported-type", Outcome([.. TestPdfs.Letter(), .. Encoding.ASCII.GetBytes(TestPhotos.Html)]));
    }

    [Fact]
    public void APdfCutOffBeforeItsEndIsRefusedAsDamaged()
    {
        var pdf = TestPdfs.Letter();

        Assert.Equal("refused:damaged", Outcome(pdf[..(pdf.Length - 10)]));
        Assert.Equal("refused:damaged", Outcome(Encoding.ASCII.GetBytes("%PDF-x.y\n%%EOF\n")));
    }

    [Fact]
    public void HtmlBeforeThePdfHeaderIsRefusedAsUnsupported()
    {
        Assert.Equal("refused:unsupported-type", Outcome([.. Encoding.ASCII.GetBytes(TestPhotos.Html), .. TestPdfs.Letter()]));
    }
}
