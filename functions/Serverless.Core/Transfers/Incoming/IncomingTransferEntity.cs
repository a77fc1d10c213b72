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

    /// <summary>The case the package is (being) accepted into: reserved with <c>accepting</c>, so a retry finishes that case.</summary>
    public string? CaseId { get; set; }

    /// <summary>When the acceptance was decided (set with <c>accepting</c>; the acknowledgement's time, stable on retry).</summary>
    public DateTimeOffset? AcceptedAt { get; set; }

    /// <summary>The accepting coordinator's person id (opaque).</summary>
    public string? AcceptedBy { get; set; }

    /// <summary>The state before <c>accepting</c>, restored when the registration is refused (a possible duplicate).</summary>
    public string? StateBeforeAccepting { get; set; }

    /// <summary>What the receiving coordinators asked the sender for (1–2,000 characters). Free text: never logged.</summary>
    public string? MoreRequest { get; set; }

    public DateTimeOffset? MoreRequestedAt { get; set; }

    /// <summary>The asking coordinator's person id (opaque).</summary>
    public string? MoreRequestedBy { get; set; }
}

/// <summary>Where a received message stands: received → (more-requested →) accepting → accepted. A more-request leaves the
/// package open for acceptance later; an acceptance is final.</summary>
public static class IncomingTransferStates
{
    public const string Received = "received";
    public const string MoreRequested = "more-requested";

    /// <summary>The new case's id is reserved on the row; the case and its entries are being written.</summary>
    public const string Accepting = "accepting";
    public const string Accepted = "accepted";
}
