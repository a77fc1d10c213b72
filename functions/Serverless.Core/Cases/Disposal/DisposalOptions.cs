using System.ComponentModel.DataAnnotations;

namespace Serverless.Cases.Disposal;

/// <summary>The municipality's retention rule for closed cases (section <c>Disposal</c>).</summary>
public sealed class DisposalOptions
{
    /// <summary>How many whole years after the closure decision a case may first be proposed for disposal.</summary>
    [Range(1, 100)]
    public int MinimumYearsAfterClosure { get; set; } = 5;
}
