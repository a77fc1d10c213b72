using Microsoft.Azure.Functions.Worker;
using Serverless.Files.Sweep;

namespace Serverless.Functions.Files;

/// <summary>Every 10 minutes: queues again a validation whose message was lost, and deletes files attached to no entry
/// a day after their upload.</summary>
public sealed class FileSweepFunction(FileSweep sweep)
{
    public const string Schedule = "0 */10 * * * *";

    [Function("FileSweep")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => sweep.RunAsync(cancellationToken);
}
