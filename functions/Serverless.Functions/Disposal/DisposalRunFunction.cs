using Microsoft.Azure.Functions.Worker;
using Serverless.Cases.Disposal;

namespace Serverless.Functions.Disposal;

/// <summary>
/// Runs one approved disposal once its cooling-off period (<c>Disposal:ExecutionDelay</c>) is over: the approval
/// queued the case id, hidden that long. Idempotent; a failure throws, so the host retries and then dead-letters it.
/// </summary>
public sealed class DisposalRunFunction(DisposalRunner runner)
{
    [Function("DisposalRun")]
    public Task Run([QueueTrigger(DisposalQueue.Name)] string message, CancellationToken cancellationToken)
        => runner.RunQueuedAsync(message, cancellationToken);
}
