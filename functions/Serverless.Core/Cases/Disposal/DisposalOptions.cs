using System.ComponentModel.DataAnnotations;

namespace Serverless.Cases.Disposal;

/// <summary>The municipality's retention rule for closed cases, and when the app runs an approved disposal (section <c>Disposal</c>).</summary>
public sealed class DisposalOptions
{
    /// <summary>How many whole years after the closure decision a case may first be proposed for disposal.</summary>
    [Range(1, 100)]
    public int MinimumYearsAfterClosure { get; set; } = 5;

    /// <summary>
    /// The cooling-off period between the approval and the app's run of a disposal: any coordinator may still
    /// withdraw it, and ops may look at <c>disposal plan</c>. At most 7 days: the run is a queue message hidden
    /// this long, and the Queue service hides a message for 7 days at most.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Disposal:ExecutionDelay must be between 00:00:00 and 7.00:00:00 (a queue message is hidden at most 7 days).")]
    public TimeSpan ExecutionDelay { get; set; } = TimeSpan.FromDays(1);
}
