using Microsoft.Azure.Functions.Worker;
using Serverless.Transfers.Answers;

namespace Serverless.Functions.Transfers;

/// <summary>This council's answers (acknowledgement, more-request) to packages it received, delivered to their senders.</summary>
public sealed class TransferAnswerFunctions(TransferAnswerDelivery delivery)
{
    /// <summary>Delivers one answer; a failure throws, so the host retries and then dead-letters it.</summary>
    [Function("TransferAnswerDelivery")]
    public Task Deliver([QueueTrigger(TransferAnswerQueue.Name)] string message, CancellationToken cancellationToken)
        => delivery.DeliverQueuedAsync(message, cancellationToken);
}
