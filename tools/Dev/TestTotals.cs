using System.Globalization;

namespace Serverless.Dev;

/// <summary>Test counts, printed in the one-line form CI reads.</summary>
internal readonly record struct TestTotals(int Passed, int Failed, int Skipped)
{
    public TestTotals Add(TestTotals other) =>
        new(Passed + other.Passed, Failed + other.Failed, Skipped + other.Skipped);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Passed} passed, {Failed} failed, {Skipped} skipped");
}
