using Microsoft.Azure.Functions.Worker;
using Serverless.Referrals;

namespace Serverless.Functions.Referrals;

/// <summary>Every 15 minutes: raises each safety-confirmation escalation that has fallen due, exactly once however often
/// it runs, and finishes what a crashed run began.</summary>
public sealed class ReferralClockFunction(ReferralEscalations escalations)
{
    public const string Schedule = "0 */15 * * * *";

    [Function("ReferralClock")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => escalations.RunAsync(cancellationToken);
}
