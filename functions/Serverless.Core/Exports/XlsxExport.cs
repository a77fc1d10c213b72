using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Serverless.Exports;

/// <summary>Writes sheets as an xlsx workbook with the Open XML SDK: a bold header row, text as inline strings
/// (never formulas), numbers as numbers and dates as Excel dates.</summary>
public static class XlsxExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Extension = ".xlsx";

    // Cell formats (cellXfs) of the stylesheet below, by index.
    private const uint PlainStyle = 0;
    private const uint DateStyle = 1;
    private const uint DateTimeStyle = 2;
    private const uint QuotedTextStyle = 3;
    private const uint HeaderStyle = 4;
    private const uint QuotedHeaderStyle = 5;

    // Excel's built-in number formats: 14 is the short date (yyyy/m/d in Japanese Excel), 22 the short date and time.
    private const uint BuiltInShortDate = 14;
    private const uint BuiltInShortDateTime = 22;

    public static byte[] Write(params IReadOnlyList<ExportSheet> sheets)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        if (sheets.Count == 0)
        {
            throw new ArgumentException("A workbook has at least one sheet.", nameof(sheets));
        }

        if (sheets.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != sheets.Count)
        {
            throw new ArgumentException("Sheet names must differ (Excel ignores case).", nameof(sheets));
        }

        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
            stylesPart.Stylesheet = Styles();
            var sheetList = workbookPart.Workbook.AppendChild(new Sheets());
            uint sheetId = 1;
            foreach (var sheet in sheets)
            {
                var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
                worksheetPart.Worksheet = Worksheet(sheet);
                sheetList.Append(new Sheet { Id = workbookPart.GetIdOfPart(worksheetPart), SheetId = sheetId++, Name = sheet.Name });
            }
        }

        return stream.ToArray();
    }

    private static Worksheet Worksheet(ExportSheet sheet)
    {
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        for (var c = 0; c < sheet.Header.Count; c++)
        {
            var name = sheet.Header[c];
            header.Append(TextCell(Reference(c, 1), name, ExportText.IsFormulaLike(name) ? QuotedHeaderStyle : HeaderStyle));
        }

        data.Append(header);
        for (var r = 0; r < sheet.Rows.Count; r++)
        {
            var rowIndex = (uint)r + 2;
            var row = new Row { RowIndex = rowIndex };
            var cells = sheet.Rows[r];
            for (var c = 0; c < cells.Count; c++)
            {
                var cell = Cell(Reference(c, rowIndex), cells[c]);
                if (cell is not null)
                {
                    row.Append(cell);
                }
            }

            data.Append(row);
        }

        // The header row stays in view while the reader scrolls.
        var views = new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
        { WorkbookViewId = 0 });
        return new Worksheet(views, data);
    }

    private static Cell? Cell(string reference, ExportCell value) => value.Kind switch
    {
        ExportCellKind.Text => TextCell(reference, value.Text!, ExportText.IsFormulaLike(value.Text) ? QuotedTextStyle : PlainStyle),
        ExportCellKind.Number => new Cell
        {
            CellReference = reference,
            DataType = CellValues.Number,
            CellValue = new CellValue(value.Number.ToString(CultureInfo.InvariantCulture)),
        },
        ExportCellKind.Date => DateCell(reference, value.DateTime, DateStyle),
        ExportCellKind.DateTime => DateCell(reference, value.DateTime, DateTimeStyle),
        _ => null,
    };

    private static Cell TextCell(string reference, string text, uint style) => new()
    {
        CellReference = reference,
        DataType = CellValues.InlineString,
        StyleIndex = style,
        InlineString = new InlineString(new Text(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve }),
    };

    // Excel's date serial (OLE Automation date): days since 1899-12-30, the time as a fraction.
    private static Cell DateCell(string reference, DateTime value, uint style) => new()
    {
        CellReference = reference,
        StyleIndex = style,
        CellValue = new CellValue(value.ToOADate().ToString(CultureInfo.InvariantCulture)),
    };

    /// <summary>A1-style reference: column letters (A, B, ..., Z, AA, ...) and the 1-based row.</summary>
    private static string Reference(int column, uint row)
    {
        var letters = new StringBuilder();
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters.Insert(0, (char)('A' + ((n - 1) % 26)));
        }

        return letters.Append(row.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>Line breaks become LF (Excel's line break inside a cell; XML would turn a bare CR into LF anyway), and
    /// characters XML 1.0 cannot carry (control characters, lone surrogates) become U+FFFD, so the workbook always opens.</summary>
    private static string XmlSafe(string text)
    {
        text = text.ReplaceLineEndings("\n");
        StringBuilder? safe = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            var valid = XmlConvert.IsXmlChar(ch)
                || (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]));
            if (char.IsHighSurrogate(ch) && valid)
            {
                safe?.Append(ch).Append(text[i + 1]);
                i++;
                continue;
            }

            if (!valid)
            {
                safe ??= new StringBuilder(text, 0, i, text.Length);
                safe.Append('\uFFFD');
            }
            else
            {
                safe?.Append(ch);
            }
        }

        return safe?.ToString() ?? text;
    }

    private static Stylesheet Styles() => new(
        new Fonts(
            new Font(new FontSize { Val = 11 }),
            new Font(new Bold(), new FontSize { Val = 11 }))
        { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }))
        { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
            new CellFormat { NumberFormatId = BuiltInShortDate, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = BuiltInShortDateTime, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0, QuotePrefix = true },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true, QuotePrefix = true })
        { Count = 6 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
}
