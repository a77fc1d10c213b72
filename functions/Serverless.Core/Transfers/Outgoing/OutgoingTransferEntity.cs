using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.Outgoing;

/// <summary>
/// One transfer sent: partition <c>transfer</c>, row the message id. Ids, codes, the risk level, the state and times only:
/// the summary, the reason's new area and every child's detail travel only inside the sealed package.
/// </summary>
public sealed class OutgoingTransferEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
    public const string Partition = "transfer";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string CaseId { get; set; } = "";

    public string SenderCode { get; set; } = "";

    public string ReceiverCode { get; set; } = "";

    public string RiskLevel { get; set; } = "";

    public string State { get; set; } = OutgoingTransferStates.Queued;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The coordinator's person id (opaque).</summary>
    public string CreatedBy { get; set; } = "";

    public DateTimeOffset AcknowledgementDeadline { get; set; }

    public bool FaceToFaceArranged { get; set; }

    /// <summary>yyyy-MM-dd (Japan), when given.</summary>
    public string? FaceToFaceDate { get; set; }

    /// <summary>yyyy-MM-dd: the face-to-face hand-over recorded as done (high risk needs it before closing).</summary>
    public string? HandedOverOn { get; set; }

    /// <summary>SHA-256 (hex) of the sealed bytes in the blob, checked before delivery.</summary>
    public string SealedSha256 { get; set; } = "";

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Delivery attempts so far (each dequeue of its message counts one).</summary>
    public int Attempts { get; set; }

    /// <summary>The partner's answer to the last failed attempt (an HTTP status, or the failure's kind): no content.</summary>
    public string? LastFailure { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>The receiving coordinator's display name, from the partner's signed acknowledgement (shown on the case;
    /// never logged).</summary>
    public string? AcknowledgedBy { get; set; }

    /// <summary>The partner's more-requests (<see cref="TransferMoreRequests"/>, JSON): the latest
    /// <see cref="Answers.TransferAnswerLimits.MaxMoreRequestsKept"/>, oldest first. Null when none.</summary>
    public string? MoreRequests { get; set; }

    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>When a delivery message was last put on the queue again by the re-queueing sweep (null: only at the send,
    /// <see cref="CreatedAt"/>).</summary>
    public DateTimeOffset? RequeuedAt { get; set; }

    /// <summary>A delivery attempt holds the transfer until then (its claim, taken at the ETag before posting): another
    /// delivery message of the same transfer meanwhile posts nothing.</summary>
    public DateTimeOffset? DeliveringUntil { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }

    /// <summary>The coordinator's person id (opaque).</summary>
    public string? WithdrawnBy { get; set; }

    /// <summary>The coordinator's reason (1–500 characters); the only free text on the row, never logged.</summary>
    public string? WithdrawalReason { get; set; }

    public CaseTransferView ToView() => new(RowKey, ReceiverCode, State, AcknowledgementDeadline, AcknowledgedAt, AcknowledgedBy, TransferMoreRequests.Read(MoreRequests));
}

/// <summary>The case's current transfer: partition <c>case</c>, row the case id. Insert-only or replaced at its ETag, so
/// of two sends at once one wins (one active transfer per case).</summary>
public sealed class CaseTransferPointerEntity : ITableEntity, ISchemaVersioned
{
    public const string Partition = "case";
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string MessageId { get; set; } = "";
}
