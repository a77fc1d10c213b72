namespace Serverless.Exports;

/// <summary>Text that a spreadsheet could run as a formula (CSV injection, OWASP), and how it is made harmless.</summary>
/// <remarks>OWASP's list: a cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return.
/// The full-width forms (＝ ＋ － ＠), which a Japanese input method produces, are treated the same way:
/// being careful costs an apostrophe. CSV puts an apostrophe in front (Excel reads the cell as text);
/// xlsx keeps the text exact in a string cell (never a formula) with Excel's "quote prefix" style, so that
/// editing the cell in Excel does not turn it into a formula either.</remarks>
public static class ExportText
{
    /// <summary>What CSV puts in front of a formula-like cell.</summary>
    public const char Escape = '\'';

    /// <summary>The first characters that make a text cell formula-like.</summary>
    public static IReadOnlyList<char> FormulaStarts { get; } = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

    public static bool IsFormulaLike(string? text) => !string.IsNullOrEmpty(text) && FormulaStarts.Contains(text[0]);

    /// <summary>The text as a CSV cell: with <see cref="Escape"/> in front when it is formula-like.</summary>
    public static string ForCsv(string text) => IsFormulaLike(text) ? Escape + text : text;
}
