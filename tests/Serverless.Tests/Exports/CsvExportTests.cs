using System.Text;
using Serverless.Exports;

namespace Serverless.Tests.Exports;

public sealed class CsvExportTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Fact]
    public void CsvStartsWithAUtf8ByteOrderMarkAndTheJapaneseHeaderRow()
    {
        var bytes = CsvExport.Write(ExportFixtures.Sheet());

        Assert.Equal(Bom, bytes[..3]);
        var text = new UTF8Encoding(false, true).GetString(bytes[3..]);
        Assert.StartsWith("区分,件数,受理日,最終更新,備考\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsEndWithCrlfAndQuotingFollowsRfc4180()
    {
        var text = Decode(CsvExport.Write(ExportFixtures.Sheet()));

        Assert.Equal(
            "区分,件数,受理日,最終更新,備考\r\n"
            + "身体的虐待,12,2026/04/01,2026/04/02 09:30,\"南小学校, \"\"通告\"\"\"\r\n"
            + "\"'=HYPERLINK(\"\"http://x\"\",\"\"x\"\")\",-3,,,'+81 90\r\n"
            + "'@SUM(A1),0.5,2027/03/31,,'-1\r\n"
            + "'\tタブ,1,,,\"'\r改行\"\r\n"
            + "'＝全角,2,,,\"複数行\r\nの備考\"\r\n",
            text);
    }

    [Fact]
    public void NumbersAreNotNeutralisedOnlyText()
    {
        var text = Decode(CsvExport.Write(new ExportSheet("s", ["数", "文字"], [[-5L, "-5"]])));

        Assert.Equal("数,文字\r\n-5,'-5\r\n", text);
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@x")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    [InlineData("＋1")]
    [InlineData("＠x")]
    [InlineData("－1")]
    public void EveryFormulaLikeTextStartsWithAnApostropheInCsv(string value)
    {
        Assert.True(ExportText.IsFormulaLike(value));
        Assert.Equal("'" + value, ExportText.ForCsv(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("通告")]
    [InlineData("a=b")]
    [InlineData(" =x")]
    public void OrdinaryTextIsLeftAlone(string value)
    {
        Assert.False(ExportText.IsFormulaLike(value));
        Assert.Equal(value, ExportText.ForCsv(value));
    }

    private static string Decode(byte[] bytes)
    {
        Assert.Equal(Bom, bytes[..3]);
        return new UTF8Encoding(false, true).GetString(bytes[3..]);
    }
}
