using System.Globalization;
using CsvHelper;

namespace Serverless.Exports;

/// <summary>Writes a sheet as CSV that Japanese Excel opens correctly: UTF-8 with a byte order mark (without it
/// Excel reads Shift_JIS and garbles the Japanese), CRLF line ends, RFC 4180 quoting, the Japanese header row
/// first, and formula-like text neutralised (<see cref="ExportText"/>).</summary>
public static class CsvExport
{
    /// <summary>The content type, with the charset Excel needs to be told about nowhere (the BOM does it) but browsers do.</summary>
    public const string ContentType = "text/csv; charset=utf-8";
    public const string Extension = ".csv";

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        NewLine = "\r\n",
        WriteByteOrderMark = true,
        Quoting = CsvQuoting.WhenNeeded,
        FormatProvider = CultureInfo.InvariantCulture,
        // Every text cell is neutralised below (ASCII and full-width); the library's own guard stays on behind it.
        Injection = CsvInjection.Escape,
    };

    public static byte[] Write(ExportSheet sheet)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        using var stream = new MemoryStream();
        using (var writer = CsvWriter.Create(stream, Options, leaveOpen: true))
        {
            foreach (var name in sheet.Header)
            {
                writer.WriteField(ExportText.ForCsv(name));
            }

            writer.EndRecord();
            foreach (var row in sheet.Rows)
            {
                foreach (var cell in row)
                {
                    Write(writer, cell);
                }

                writer.EndRecord();
            }
        }

        return stream.ToArray();
    }

    /// <summary>Numbers and dates as typed values (the injection guard leaves them alone: -3 stays a number);
    /// dates as yyyy/MM/dd (and HH:mm), which Japanese Excel reads as dates.</summary>
    private static void Write(CsvWriter writer, ExportCell cell)
    {
        switch (cell.Kind)
        {
            case ExportCellKind.Text:
                writer.WriteField(ExportText.ForCsv(cell.Text!));
                break;
            case ExportCellKind.Number:
                writer.WriteField(cell.Number, default);
                break;
            case ExportCellKind.Date:
                writer.WriteField(cell.DateTime, "yyyy/MM/dd");
                break;
            case ExportCellKind.DateTime:
                writer.WriteField(cell.DateTime, "yyyy/MM/dd HH:mm");
                break;
            default:
                writer.WriteField(string.Empty);
                break;
        }
    }
}
