using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.DeadLetters;

/// <summary>
/// A message that kept failing, kept until ops replays it (the poison queue would drop it after
/// 7 days). Partition: the work queue it came from; row: the queue's own message id (opaque).
/// The text is the message as sent: ids only, never personal data.
/// </summary>
public sealed class DeadLetterEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>The message text, decoded from base64.</summary>
    public string MessageText { get; set; } = "";

    /// <summary>True when the message was not base64 (another producer's plain text): the text is then
    /// kept exactly as it arrived. The trigger never ran on it.</summary>
    public bool Undecodable { get; set; }

    public DateTimeOffset? FirstQueuedAt { get; set; }

    public DateTimeOffset DeadLetteredAt { get; set; }
}
