using Serverless.Exports;

namespace Serverless.Stats;

/// <summary>Small-count suppression for counts that leave the council: a count of 1 or 2 could point to one
/// child in a small town, so it is shown as <see cref="Shown"/> (text), while 0 and 3 or more stay numbers.</summary>
public static class SmallCounts
{
    public const string Shown = "1-2";

    public static bool IsSmall(long count) => count is 1 or 2;

    /// <summary>The cell for <paramref name="count"/>: the number itself, or <see cref="Shown"/> when suppressed.</summary>
    public static ExportCell Cell(long count, bool suppress) => suppress && IsSmall(count) ? ExportCell.Of(Shown) : ExportCell.Of(count);
}
