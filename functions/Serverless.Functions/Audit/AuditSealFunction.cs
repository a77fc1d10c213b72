using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;

namespace Serverless.Functions.Audit;

/// <summary>
/// Every five minutes, seals the audit entries older than the settle delay into the hash chain (table row
/// and WORM blob). Concurrent runs are safe: each seal number is written once.
/// </summary>
public sealed class AuditSealFunction(AuditSealer sealer)
{
    public const string Schedule = "0 */5 * * * *";

    [Function("AuditSeal")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => sealer.SealAsync(cancellationToken);
}
