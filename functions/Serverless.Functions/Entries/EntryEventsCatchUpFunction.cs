using Microsoft.Azure.Functions.Worker;
using Serverless.Entries;

namespace Serverless.Functions.Entries;

/// <summary>
/// Every 5 minutes: an entry announced more than two minutes ago whose event has not been handled (its message was
/// lost, or kept failing into a dead letter) is handled here, notifications included; one whose entry was never stored
/// is dropped after ten minutes.
/// </summary>
public sealed class EntryEventsCatchUpFunction(EntryEvents events)
{
    public const string Schedule = "0 */5 * * * *";

    [Function("EntryEventsCatchUp")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => events.CatchUpAsync(cancellationToken);
}
