using Microsoft.Azure.Functions.Worker;
using Serverless.Health;

namespace Serverless.Functions.Health;

/// <summary>Completes a queue round-trip probe (ops <c>verify</c> sends them after a deploy).</summary>
public sealed class HealthProbeFunction(HealthProbeService probes)
{
    [Function("HealthProbe")]
    public Task Run([QueueTrigger(HealthProbeService.Queue)] string message, CancellationToken cancellationToken)
        => probes.CompleteAsync(message, cancellationToken);
}
