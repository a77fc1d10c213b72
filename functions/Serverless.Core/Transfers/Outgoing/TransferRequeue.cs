using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Transfers.Outgoing;

/// <summary>
/// Re-queueing (run by the <c>TransferDeadlines</c> timer): a crash between the case's pointer and the enqueue leaves a
/// transfer <c>queued</c> that no message will deliver. Every transfer still <c>queued</c>, with no attempt, whose last
/// enqueue (the send, or the last re-queue) is older than <see cref="TransferDeliveryOptions.RequeueAfterMinutes"/> gets
/// its message again. The time is recorded at the row's ETag before the message goes, so of two runs at once one
/// enqueues. A transfer that was merely waiting in a long queue then has two messages: the delivery's claim makes the
/// second post nothing while the first runs, and nothing at all once it is delivered.
/// </summary>
public sealed class TransferRequeue(
    OutgoingTransferStore store,
    TransferDeliveryQueue queue,
    IOptions<TransferDeliveryOptions> options,
    TimeProvider clock,
    ILogger<TransferRequeue> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var before = now - TimeSpan.FromMinutes(options.Value.RequeueAfterMinutes);
        var requeued = 0;
        await foreach (var row in store.InStateAsync(OutgoingTransferStates.Queued, cancellationToken))
        {
            if (row.Attempts != 0 || (row.RequeuedAt ?? row.CreatedAt) > before || row.DeliveringUntil > now)
            {
                continue;
            }

            row.RequeuedAt = now;
            if (!await store.UpdateAsync(row, cancellationToken))
            {
                continue; // another run (or a delivery) changed it first
            }

            await queue.SendAsync(row.RowKey, cancellationToken);
            requeued++;
            logger.LogWarning("Transfer {MessageId} of case {CaseId}: still queued with no attempt since {CreatedAt}; queued again", row.RowKey, row.CaseId, row.CreatedAt);
        }

        return requeued;
    }
}
