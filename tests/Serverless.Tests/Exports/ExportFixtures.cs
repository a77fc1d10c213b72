using Serverless.Exports;

namespace Serverless.Tests.Exports;

/// <summary>A small table with Japanese text, numbers, dates and formula-like text.</summary>
internal static class ExportFixtures
{
    public static ExportSheet Sheet() => new(
        "集計",
        ["区分", "件数", "受理日", "最終更新", "備考"],
        [
            ["身体的虐待", 12L, new DateOnly(2026, 4, 1), ExportCell.OfLocal(new DateTime(2026, 4, 2, 9, 30, 0)), "南小学校, \"通告\""],
            ["=HYPERLINK(\"http://x\",\"x\")", -3L, ExportCell.Empty, ExportCell.Empty, "+81 90"],
            ["@SUM(A1)", 0.5m, new DateOnly(2027, 3, 31), ExportCell.Empty, "-1"],
            ["\tタブ", 1L, ExportCell.Empty, ExportCell.Empty, "\r改行"],
            ["＝全角", 2L, ExportCell.Empty, ExportCell.Empty, "複数行\r\nの備考"],
        ]);
}
