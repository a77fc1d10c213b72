namespace Serverless.Exports;

/// <summary>A table to export: a name (the xlsx sheet's tab), a header row (Japanese column names) and rows of cells.</summary>
/// <remarks>Every row has as many cells as the header has names. The sheet name follows Excel's rules:
/// 1 to 31 characters, none of <c>[ ] : * ? / \</c>, not starting or ending with an apostrophe.</remarks>
public sealed record ExportSheet
{
    private static readonly char[] ForbiddenInName = ['[', ']', ':', '*', '?', '/', '\\'];

    public ExportSheet(string name, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<ExportCell>> rows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        if (name.Length > 31 || name.IndexOfAny(ForbiddenInName) >= 0 || name.StartsWith('\'') || name.EndsWith('\''))
        {
            throw new ArgumentException("A sheet name has 1 to 31 characters, none of [ ] : * ? / \\, and no apostrophe at either end.", nameof(name));
        }

        if (header.Count == 0)
        {
            throw new ArgumentException("A sheet has at least one column.", nameof(header));
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Count != header.Count)
            {
                throw new ArgumentException($"Row {i} has {rows[i].Count} cells; the header has {header.Count} columns.", nameof(rows));
            }
        }

        Name = name;
        Header = header;
        Rows = rows;
    }

    public string Name { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<IReadOnlyList<ExportCell>> Rows { get; }
}
