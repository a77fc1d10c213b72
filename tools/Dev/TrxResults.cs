using System.Globalization;
using System.Xml.Linq;

namespace Serverless.Dev;

/// <summary>Reads the totals of the TRX files dotnet test writes (one per test project).</summary>
internal static class TrxResults
{
    public static IReadOnlyList<string> FindFiles(string resultsDirectory) =>
        Directory.Exists(resultsDirectory)
            ? [.. Directory.EnumerateFiles(resultsDirectory, "*.trx", SearchOption.AllDirectories).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The totals of one file, from <c>TestRun/ResultSummary/Counters</c>.</summary>
    public static TestTotals Read(string trxFile)
    {
        var counters = XDocument.Load(trxFile)
            .Descendants()
            .FirstOrDefault(element => element.Name.LocalName == "Counters"
                && element.Parent?.Name.LocalName == "ResultSummary")
            ?? throw new DevException($"{trxFile} has no ResultSummary/Counters element.");

        int Count(string attribute) =>
            int.TryParse(counters.Attribute(attribute)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

        // Errors, timeouts and aborts are failures. Skipped is whatever remains of the total: the VSTest TRX logger
        // leaves notExecuted at 0 for a skipped test and only lowers `executed`, so that counter cannot be trusted.
        var passed = Count("passed") + Count("passedButRunAborted");
        var failed = Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        var skipped = Math.Max(Count("total") - passed - failed, Count("notExecuted"));
        return new TestTotals(passed, failed, skipped);
    }
}
