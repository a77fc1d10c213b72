using Serverless.Files;
using Serverless.Problems;

namespace Serverless.Tests.Files;

/// <summary>An uploaded file's name is kept as entry content and offered as the download name: without paths,
/// invisible characters or more than 100 characters.</summary>
public sealed class FileNamesTests
{
    private static string Name(string? uploaded) => Assert.IsType<SanitisedFileName.Valid>(FileNames.Sanitise(uploaded)).Name;

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\Windows\\win.ini", "win.ini")]
    [InlineData("C:\\Users\\tanaka\\Desktop\\写真.jpg", "写真.jpg")]
    [InlineData("C:写真.jpg", "写真.jpg")]
    [InlineData("/var/tmp/./report.pdf", "report.pdf")]
    public void PathsAreStripped(string uploaded, string kept)
    {
        Assert.Equal(kept, Name(uploaded));
    }

    [Fact]
    public void ControlCharactersAreRemoved()
    {
        Assert.Equal("report.pdf", Name("re\0po\r\nrt\u0007\u001B[31m.pdf".Replace("[31m", "", StringComparison.Ordinal)));
        Assert.Equal("report.pdf", Name("rep\u0085ort\u007F.pdf"));
    }

    [Fact]
    public void RightToLeftOverridesAndOtherInvisibleCharactersAreRemoved()
    {
        // "invoice\u202Egpj.exe" shows as "invoiceexe.jpg".
        Assert.Equal("invoicegpj.exe", Name("invoice\u202Egpj.exe"));
        Assert.Equal("abcdefgh.pdf", Name("\uFEFFa\u200Bb\u200Ec\u200Fd\u202Ae\u202Bf\u2066g\u2069h.pdf"));
    }

    [Fact]
    public void ThreeHundredCharactersAreCutToOneHundredKeepingTheExtension()
    {
        var name = Name(new string('あ', 300) + ".pdf");

        Assert.Equal(new string('あ', 96) + ".pdf", name);
        Assert.Equal(100, name.Length);
    }

    [Fact]
    public void CuttingNeverSplitsACharacterMadeOfSeveralCodeUnits()
    {
        var name = Name(string.Concat(Enumerable.Repeat("𠮷", 150)) + ".jpg"); // a surrogate pair each

        Assert.Equal(string.Concat(Enumerable.Repeat("𠮷", 96)) + ".jpg", name);
    }

    [Fact]
    public void AJapaneseNameIsKeptAsItIs()
    {
        Assert.Equal("診断書（令和7年6月）.pdf", Name("診断書（令和7年6月）.pdf"));
        Assert.Equal("学校　記録 2025.xlsx", Name("  学校　記録 2025.xlsx  "));
    }

    [Fact]
    public void ADecomposedNameFromAMacIsNormalisedToNfc()
    {
        var decomposed = "ケ\u3099ース.pdf"; // ゲ as ケ + combining dakuten

        Assert.Equal("ゲース.pdf", Name(decomposed));
    }

    [Fact]
    public void CharactersWindowsCannotSaveAndDeviceNamesAreMadeSafe()
    {
        Assert.Equal("a_b_c_d_.pdf", Name("a<b>c|d?.pdf"));
        Assert.Equal("_CON.pdf", Name("CON.pdf"));
        Assert.Equal("hidden", Name(".hidden"));
        Assert.Equal("trailing", Name("trailing... "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("..")]
    [InlineData("../")]
    [InlineData("\u202E\u200B")]
    [InlineData("C:\\")]
    public void ANameWithNothingLeftIsRefusedWithItsOwnCode(string? uploaded)
    {
        var refused = Assert.IsType<SanitisedFileName.Refused>(FileNames.Sanitise(uploaded));

        Assert.Equal(new FileRejection(FileRejections.NameEmpty), refused.Rejection);
        Assert.Equal("ファイル名がないか、使えない文字だけでできています。ファイル名を付け直して送ってください。", refused.Rejection.Message(ProblemLanguage.Japanese));
    }

    [Theory]
    [InlineData("写真.jpg", FileKind.Png, "写真.png")]
    [InlineData("写真.JPEG", FileKind.Jpeg, "写真.JPEG")]
    [InlineData("診断書", FileKind.Pdf, "診断書.pdf")]
    [InlineData("記録.docx", FileKind.Docx, "記録.docx")]
    public void TheDownloadNameCarriesTheExtensionOfWhatTheContentIs(string name, FileKind kind, string download)
    {
        Assert.Equal(download, FileNames.ForDownload(name, FileType.Of(kind)));
    }
}
