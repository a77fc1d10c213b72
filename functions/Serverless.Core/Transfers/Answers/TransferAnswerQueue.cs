using Serverless.Queues;
using Serverless.Storage;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.Answers;

/// <summary>The delivery of one answer: the sender's code and the answer's row key (ids only, never the name or the request).</summary>
public sealed record TransferAnswerMessage(int SchemaVersion, string SenderCode, string AnswerKey) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>
/// The work queue <c>transfer-answers</c>. The <c>TransferAnswers</c> row is the truth; the message says "deliver this
/// one now", so a duplicate is harmless (a delivered answer is not posted again).
/// </summary>
public sealed class TransferAnswerQueue(WorkQueue queue)
{
    public const string Name = "transfer-answers";

    public Task SendAsync(string senderCode, string answerKey, CancellationToken cancellationToken)
        => queue.SendAsync(Name, new TransferAnswerMessage(TransferAnswerMessage.CurrentSchemaVersion, senderCode, answerKey), cancellationToken);

    /// <summary>The ids; throws <see cref="UnreadableMessageException"/> (so it ends as a dead letter) for anything else.</summary>
    public static (string SenderCode, string AnswerKey) Read(string text)
    {
        var message = QueueMessageJson.Read<TransferAnswerMessage>(text, TransferAnswerMessage.CurrentSchemaVersion);
        return MunicipalityCode.IsValid(message.SenderCode) && TransferAnswerKeys.IsKey(message.AnswerKey)
            ? (message.SenderCode, message.AnswerKey)
            : throw new UnreadableMessageException("A transfer answer message carries a municipality code and an answer key.");
    }
}
