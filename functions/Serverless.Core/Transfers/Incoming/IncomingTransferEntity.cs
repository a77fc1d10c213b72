using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.Incoming;

/// <summary>
/// One message received from a partner council: partition the sender's municipality code, row the message id
/// (insert-only: a second message with the same id from the same sender loses on the insert). Codes, ids, times and the
/// hash only: the message itself (encrypted to this council) is the blob <c>transfers-incoming/{messageId}</c>.
/// </summary>
public sealed class IncomingTransferEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>The sender's municipality code.</summary>
    public string PartitionKey { get; set; } = "";

    /// <summary>The message id (<c>tm-</c> and 32 hex digits).</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary><see cref="Envelope.TransferMessageKind"/>: a package (the only kind received so far).</summary>
    public string Kind { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>When the sender made the message (from its signed header).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>SHA-256 of the sealed bytes as received, lower-case hex (the blob holds exactly those bytes).</summary>
    public string Sha256 { get; set; } = "";

    public long Length { get; set; }

    /// <summary><see cref="IncomingTransferStates"/>.</summary>
    public string State { get; set; } = IncomingTransferStates.Received;
}

/// <summary>Where a received message stands. Accepting into a case and asking for more come later (docs/transfers.md).</summary>
public static class IncomingTransferStates
{
    public const string Received = "received";
}
