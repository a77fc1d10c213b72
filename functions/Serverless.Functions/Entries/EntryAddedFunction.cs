using Microsoft.Azure.Functions.Worker;
using Serverless.Entries;

namespace Serverless.Functions.Entries;

/// <summary>What follows a stored entry (the case's activity summary). Idempotent; a failure throws, so the host
/// retries and then dead-letters the message.</summary>
public sealed class EntryAddedFunction(EntryEvents events)
{
    [Function("EntryAdded")]
    public Task Run([QueueTrigger(EntryEvents.Queue)] string message, CancellationToken cancellationToken)
        => events.HandleAsync(message, cancellationToken);
}
