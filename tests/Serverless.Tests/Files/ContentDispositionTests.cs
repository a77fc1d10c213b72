using Serverless.Files;

namespace Serverless.Tests.Files;

/// <summary>Downloads are always attachments, with an ASCII name for old clients and the real one in UTF-8.</summary>
public sealed class ContentDispositionTests
{
    [Fact]
    public void AJapaneseNameIsPercentEncodedInUtf8WithAnAsciiFallback()
    {
        Assert.Equal(
            "attachment; filename=\"_7_6_.pdf\"; filename*=UTF-8''%E8%A8%BA%E6%96%AD%E6%9B%B8%EF%BC%88%E4%BB%A4%E5%92%8C7%E5%B9%B46%E6%9C%88%EF%BC%89.pdf",
            ContentDisposition.Attachment("診断書（令和7年6月）.pdf"));
    }

    [Fact]
    public void ANameWithNoAsciiLetterFallsBackToFile()
    {
        Assert.Equal("attachment; filename=\"file.jpg\"; filename*=UTF-8''%E5%86%99%E7%9C%9F.jpg", ContentDisposition.Attachment("写真.jpg"));
    }

    [Fact]
    public void QuotesBackslashesPercentSignsAndLineBreaksCannotBreakTheHeader()
    {
        Assert.Equal(
            "attachment; filename=\"a_b_c_d_e.pdf\"; filename*=UTF-8''a%22b%5Cc%25d%0D%0Ae.pdf",
            ContentDisposition.Attachment("a\"b\\c%d\r\ne.pdf"));
    }

    [Fact]
    public void AnAsciiNameIsTheSameInBothParameters()
    {
        Assert.Equal("attachment; filename=\"report 2025.pdf\"; filename*=UTF-8''report%202025.pdf", ContentDisposition.Attachment("report 2025.pdf"));
    }
}
