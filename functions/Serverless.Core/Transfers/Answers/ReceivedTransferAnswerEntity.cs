using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.Answers;

/// <summary>
/// An answer received from a partner about a package this council sent (table <c>TransferAnswersReceived</c>): partition
/// the partner's municipality code, row the answer's message id (insert-only: a repeat of the message is one row). The
/// coordinator's name and the request are personal data: this row and the outgoing transfer's only, never logged.
/// </summary>
public sealed class ReceivedTransferAnswerEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>The answering partner's municipality code.</summary>
    public string PartitionKey { get; set; } = "";

    /// <summary>The answer's message id.</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string PackageMessageId { get; set; } = "";

    /// <summary>The case the package was sent from (this council's).</summary>
    public string CaseId { get; set; } = "";

    public string Kind { get; set; } = "";

    public DateTimeOffset AnsweredAt { get; set; }

    public string AnsweredByName { get; set; } = "";

    public string? Request { get; set; }

    /// <summary>When the partner made the message (its signed header).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>SHA-256 of the sealed bytes as first received, lower-case hex.</summary>
    public string Sha256 { get; set; } = "";
}
