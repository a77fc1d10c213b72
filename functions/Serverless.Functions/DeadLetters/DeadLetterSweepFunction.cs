using Microsoft.Azure.Functions.Worker;
using Serverless.DeadLetters;

namespace Serverless.Functions.DeadLetters;

/// <summary>
/// Every five minutes, moves poison-queue messages into the dead-letter table, where they stay
/// until ops replays them (a poison queue would drop them after seven days).
/// </summary>
public sealed class DeadLetterSweepFunction(DeadLetterService deadLetters)
{
    public const string Schedule = "0 */5 * * * *";

    [Function("DeadLetterSweep")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => deadLetters.SweepAsync(cancellationToken);
}
