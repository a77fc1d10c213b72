using Serverless.Files.Storage;
using Serverless.Queues;
using Serverless.Storage;
using Serverless.Transfers.Envelope;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>Send one carried file: the package's message id and the file id (ids only).</summary>
public sealed record TransferFileDeliveryMessage(int SchemaVersion, string MessageId, string FileId) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>The work queue <c>transfer-file-deliveries</c>: the <c>OutgoingTransferFiles</c> row is the truth, so a
/// duplicate message is harmless (a file no longer queued is not posted again).</summary>
public sealed class TransferFileQueue(WorkQueue queue)
{
    public const string Name = "transfer-file-deliveries";

    public Task SendAsync(string messageId, string fileId, CancellationToken cancellationToken)
        => queue.SendAsync(Name, new TransferFileDeliveryMessage(TransferFileDeliveryMessage.CurrentSchemaVersion, messageId, fileId), cancellationToken);

    /// <summary>The ids; throws <see cref="UnreadableMessageException"/> (so it ends as a dead letter) for anything else.</summary>
    public static (string MessageId, string FileId) Read(string text)
    {
        var message = QueueMessageJson.Read<TransferFileDeliveryMessage>(text, TransferFileDeliveryMessage.CurrentSchemaVersion);
        return TransferIds.IsMessageId(message.MessageId) && FileIds.IsValid(message.FileId)
            ? (message.MessageId, message.FileId)
            : throw new UnreadableMessageException("A transfer file delivery message carries a message id and a file id.");
    }
}
