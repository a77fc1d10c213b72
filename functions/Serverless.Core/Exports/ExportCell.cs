namespace Serverless.Exports;

/// <summary>One cell of an exported table: text, a number, a date, a date and time, or nothing.</summary>
/// <remarks>Only <see cref="ExportCellKind.Text"/> cells can carry a formula-like value; they are neutralised
/// when written (see <see cref="ExportText"/>). Numbers and dates are written as typed values.</remarks>
public readonly record struct ExportCell
{
    private ExportCell(ExportCellKind kind, string? text, decimal number, DateTime dateTime)
    {
        Kind = kind;
        Text = text;
        Number = number;
        DateTime = dateTime;
    }

    public ExportCellKind Kind { get; }

    /// <summary>The text of a <see cref="ExportCellKind.Text"/> cell, as given (not yet neutralised).</summary>
    public string? Text { get; }

    public decimal Number { get; }

    /// <summary>The date (at midnight) or the local date and time, as the reader should see it (the caller converts to Japan time).</summary>
    public DateTime DateTime { get; }

    public static ExportCell Empty => default;

    public static ExportCell Of(string? text) => text is null ? Empty : new(ExportCellKind.Text, text, 0, default);

    public static ExportCell Of(long number) => new(ExportCellKind.Number, null, number, default);

    public static ExportCell Of(decimal number) => new(ExportCellKind.Number, null, number, default);

    public static ExportCell Of(DateOnly date) => new(ExportCellKind.Date, null, 0, date.ToDateTime(TimeOnly.MinValue));

    /// <summary>A local date and time (no offset: the caller has already converted it to the reader's time zone).</summary>
    public static ExportCell OfLocal(DateTime localDateTime)
        => new(ExportCellKind.DateTime, null, 0, DateTime.SpecifyKind(localDateTime, DateTimeKind.Unspecified));

    public static implicit operator ExportCell(string? text) => Of(text);

    public static implicit operator ExportCell(long number) => Of(number);

    public static implicit operator ExportCell(decimal number) => Of(number);

    public static implicit operator ExportCell(DateOnly date) => Of(date);
}
