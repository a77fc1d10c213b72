using Serverless.Queues;
using Serverless.Storage;
using Serverless.Transfers.Envelope;

namespace Serverless.Transfers.Outgoing;

/// <summary>The delivery of one sealed package: its message id only (an id, never anything about the child).</summary>
public sealed record TransferDeliveryMessage(int SchemaVersion, string MessageId) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>
/// The work queue <c>transfer-deliveries</c>. The <c>OutgoingTransfers</c> row and the sealed blob are the truth; the
/// message says "deliver this one now", so a duplicate is harmless (an already delivered transfer is not posted again).
/// </summary>
public sealed class TransferDeliveryQueue(WorkQueue queue)
{
    public const string Name = "transfer-deliveries";

    public Task SendAsync(string messageId, CancellationToken cancellationToken)
        => queue.SendAsync(Name, new TransferDeliveryMessage(TransferDeliveryMessage.CurrentSchemaVersion, messageId), cancellationToken);

    /// <summary>The message id; throws <see cref="UnreadableMessageException"/> (so it ends as a dead letter) for anything else.</summary>
    public static string ReadMessageId(string text)
    {
        var message = QueueMessageJson.Read<TransferDeliveryMessage>(text, TransferDeliveryMessage.CurrentSchemaVersion);
        return TransferIds.IsMessageId(message.MessageId)
            ? message.MessageId
            : throw new UnreadableMessageException("A transfer delivery message carries a message id (tm- and 32 hex digits).");
    }
}
