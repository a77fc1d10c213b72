using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.Answers;

/// <summary>
/// One answer this council sends back to the council that sent it a package (table <c>TransferAnswers</c>): partition the
/// sender's municipality code, row <see cref="TransferAnswerKeys.For"/> (the package's message id and the kind; a
/// more-request also its time), so the same answer handed over twice is one row. The coordinator's name and the request
/// live only here (and, encrypted, in the message): never in a key, a queue message or a log.
/// </summary>
public sealed class TransferAnswerEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>The municipality code of the council that sent the package (the answer goes to it).</summary>
    public string PartitionKey { get; set; } = "";

    /// <summary><see cref="TransferAnswerKeys.For"/>.</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>The answer's own message id (<c>tm-</c>…), fixed when persisted: every attempt posts that id, so the
    /// sender's intake sees a retry as the same message.</summary>
    public string AnswerMessageId { get; set; } = "";

    public string PackageMessageId { get; set; } = "";

    /// <summary><see cref="TransferAnswerKinds"/>.</summary>
    public string Kind { get; set; } = "";

    public DateTimeOffset AnsweredAt { get; set; }

    /// <summary>The deciding coordinator's display name (personal data: this row and the sealed message only).</summary>
    public string AnsweredByName { get; set; } = "";

    /// <summary>A more-request's text (1–2,000 characters); null for an acknowledgement. Never logged.</summary>
    public string? Request { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary><see cref="TransferAnswerStates"/>.</summary>
    public string State { get; set; } = TransferAnswerStates.Queued;

    public int Attempts { get; set; }

    /// <summary>Why the last attempt failed (an HTTP status or the failure's kind): no content.</summary>
    public string? LastFailure { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset? FailedAt { get; set; }
}

/// <summary>An answer's states: queued → delivered; failed when the last attempt failed (it then ends as a dead letter).</summary>
public static class TransferAnswerStates
{
    public const string Queued = "queued";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
