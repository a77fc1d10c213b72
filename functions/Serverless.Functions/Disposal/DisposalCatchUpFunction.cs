using Microsoft.Azure.Functions.Worker;
using Serverless.Cases.Disposal;

namespace Serverless.Functions.Disposal;

/// <summary>
/// Daily at 19:00 UTC (04:00 JST, after the backup): every approved disposal past its cooling-off period goes to the
/// DisposalRun queue again, so one whose message was lost (a restore, a held case since released) still runs.
/// </summary>
public sealed class DisposalCatchUpFunction(DisposalRunner runner)
{
    public const string Schedule = "0 0 19 * * *";

    [Function("DisposalCatchUp")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => runner.RequeueOverdueAsync(cancellationToken);
}
