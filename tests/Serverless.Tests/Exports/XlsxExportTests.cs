using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Serverless.Exports;

namespace Serverless.Tests.Exports;

public sealed class XlsxExportTests
{
    [Fact]
    public void WorkbookRoundTripsThroughTheOpenXmlSdkWithJapaneseTextNumbersAndDates()
    {
        var bytes = XlsxExport.Write(ExportFixtures.Sheet());

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var sheet = Assert.Single(workbook.Workbook.Sheets!.Elements<Sheet>());
        Assert.Equal("集計", sheet.Name!.Value);
        var rows = Rows(workbook, sheet);

        Assert.Equal(6, rows.Count);
        Assert.Equal(["区分", "件数", "受理日", "最終更新", "備考"], rows[0].Elements<Cell>().Select(Text));
        var first = rows[1].Elements<Cell>().ToList();
        Assert.Equal("身体的虐待", Text(first[0]));
        Assert.Equal("12", first[1].CellValue!.Text);
        Assert.Equal(new DateTime(2026, 4, 1), DateTime.FromOADate(double.Parse(first[2].CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(new DateTime(2026, 4, 2, 9, 30, 0), DateTime.FromOADate(double.Parse(first[3].CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("南小学校, \"通告\"", Text(first[4]));
        Assert.Equal("0.5", rows[3].Elements<Cell>().ElementAt(1).CellValue!.Text);
        Assert.Equal("A1", rows[0].Elements<Cell>().First().CellReference!.Value);
        Assert.Equal("E6", rows[5].Elements<Cell>().Last().CellReference!.Value);

        // Dates carry a date number format, so Excel shows them as dates.
        var formats = workbook.WorkbookStylesPart!.Stylesheet!.CellFormats!.Elements<CellFormat>().ToList();
        Assert.Equal(14u, formats[(int)first[2].StyleIndex!.Value].NumberFormatId!.Value);
        Assert.Equal(22u, formats[(int)first[3].StyleIndex!.Value].NumberFormatId!.Value);
        // An empty cell is left out, not written as an empty string.
        Assert.Equal(3, rows[2].Elements<Cell>().Count());
    }

    [Fact]
    public void FormulaLikeTextIsAStringCellWithTheQuotePrefixAndNeverAFormula()
    {
        var bytes = XlsxExport.Write(ExportFixtures.Sheet());

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single();
        var cells = Rows(workbook, sheet).SelectMany(r => r.Elements<Cell>()).ToList();
        var formats = workbook.WorkbookStylesPart!.Stylesheet!.CellFormats!.Elements<CellFormat>().ToList();

        Assert.DoesNotContain(cells, c => c.CellFormula is not null);
        foreach (var text in new[] { "=HYPERLINK(\"http://x\",\"x\")", "+81 90", "@SUM(A1)", "-1", "\tタブ", "\n改行", "＝全角" })
        {
            var cell = Assert.Single(cells, c => c.DataType?.Value == CellValues.InlineString && Text(c) == text);
            Assert.True(formats[(int)cell.StyleIndex!.Value].QuotePrefix?.Value, text);
        }

        var plain = Assert.Single(cells, c => Text(c) == "身体的虐待");
        Assert.NotEqual(true, formats[(int)(plain.StyleIndex?.Value ?? 0)].QuotePrefix?.Value);
    }

    [Fact]
    public void LineBreaksInACellBecomeExcelsLineFeed()
    {
        var cells = Cells(XlsxExport.Write(ExportFixtures.Sheet()));

        Assert.Contains(cells, c => Text(c) == "複数行\nの備考");
        Assert.DoesNotContain(cells, c => Text(c).Contains('\r', StringComparison.Ordinal));
    }

    private static List<Cell> Cells(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        return Rows(workbook, workbook.Workbook.Sheets!.Elements<Sheet>().Single()).SelectMany(r => r.Elements<Cell>()).Select(c => (Cell)c.CloneNode(true)).ToList();
    }

    [Fact]
    public void CharactersXmlCannotCarryBecomeReplacementCharactersAndTheWorkbookStillOpens()
    {
        var sheet = new ExportSheet("メモ", ["備考"], [["a\u0001b\uD800c😀"]]);

        var bytes = XlsxExport.Write(sheet);

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var cell = Rows(workbook, workbook.Workbook.Sheets!.Elements<Sheet>().Single())[1].Elements<Cell>().Single();
        Assert.Equal("a\uFFFDb\uFFFDc😀", Text(cell));
    }

    [Fact]
    public void SeveralSheetsAreWrittenInOrderAndDuplicateNamesAreRefused()
    {
        var bytes = XlsxExport.Write(new ExportSheet("一", ["a"], [[1L]]), new ExportSheet("二", ["b"], [[2L]]));

        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        Assert.Equal(["一", "二"], document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));
        Assert.Throws<ArgumentException>(() => XlsxExport.Write(new ExportSheet("a", ["x"], []), new ExportSheet("A", ["x"], [])));
    }

    [Fact]
    public void SheetsWithBadNamesOrRaggedRowsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ExportSheet("a/b", ["x"], []));
        Assert.Throws<ArgumentException>(() => new ExportSheet(new string('あ', 32), ["x"], []));
        Assert.Throws<ArgumentException>(() => new ExportSheet("ok", ["x", "y"], [[1L]]));
    }

    private static List<Row> Rows(WorkbookPart workbook, Sheet sheet)
        => ((WorksheetPart)workbook.GetPartById(sheet.Id!.Value!)).Worksheet!.GetFirstChild<SheetData>()!.Elements<Row>().ToList();

    private static string Text(Cell cell) => cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? string.Empty;
}
