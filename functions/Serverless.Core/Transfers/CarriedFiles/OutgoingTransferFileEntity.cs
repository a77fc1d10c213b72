using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>
/// One file a sent package references, to be sent after it (table <c>OutgoingTransferFiles</c>): partition the package's
/// message id, row the file id. Written when the package is sealed (before its delivery is queued), so the files to send
/// are exactly the package's references. Ids, hash, length and state only.
/// </summary>
public sealed class OutgoingTransferFileEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>The package's message id.</summary>
    public string PartitionKey { get; set; } = "";

    /// <summary>The file id (at the sender).</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string CaseId { get; set; } = "";

    public string ReceiverCode { get; set; } = "";

    /// <summary>The SHA-256 the package names (the stored copy's), lower-case hex.</summary>
    public string Sha256 { get; set; } = "";

    public long Length { get; set; }

    /// <summary><see cref="OutgoingTransferFileStates"/>.</summary>
    public string State { get; set; } = OutgoingTransferFileStates.Waiting;

    public int Attempts { get; set; }

    public string? LastFailure { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>Where one carried file's sending stands.</summary>
public static class OutgoingTransferFileStates
{
    /// <summary>Recorded with the package; queued once the package is delivered.</summary>
    public const string Waiting = "waiting";

    public const string Queued = "queued";

    /// <summary>The receiver answered 202.</summary>
    public const string Sent = "sent";

    /// <summary>Larger than the receiving intake takes (<see cref="Incoming.IncomingTransferLimits.MaxFileBytes"/>): never sent;
    /// the coordinators hand it over another way.</summary>
    public const string TooLarge = "too-large";

    /// <summary>The stored copy is gone or no longer has the hash the package names: not sent.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>Every attempt failed; the message went to the poison queue.</summary>
    public const string Failed = "failed";
}
