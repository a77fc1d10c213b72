using Serverless.Cases;

namespace Serverless.Transfers.Outgoing;

/// <summary>
/// <c>POST /api/cases/{caseId}/transfers</c>: a coordinator hands the case to a confirmed partner council (移管).
/// </summary>
/// <param name="ReceiverMunicipalityCode">The partner's 全国地方公共団体コード; it must be confirmed.</param>
/// <param name="Summary">The hand-over summary (引継ぎ概要) for the receiving coordinators: 1–4000 characters.</param>
/// <param name="FaceToFace">Whether a face-to-face hand-over (対面引継ぎ) is arranged, and its date: required for high risk.</param>
public sealed record SendTransferRequest(string? ReceiverMunicipalityCode = null, TransferReasonInput? Reason = null, RiskLevel? RiskLevel = null, string? Summary = null, FaceToFaceInput? FaceToFace = null);

/// <param name="Kind"><c>family-move</c> (the family moved to the receiver's area).</param>
/// <param name="NewArea">The new area as far as known (≤ 200 characters; travels only inside the sealed package).</param>
public sealed record TransferReasonInput(string? Kind = null, string? NewArea = null);

/// <param name="Date">yyyy-MM-dd (Japan).</param>
public sealed record FaceToFaceInput(bool? Arranged = null, DateOnly? Date = null);

/// <summary>The answer to a send (202): the package is sealed, stored and queued for delivery.</summary>
/// <param name="TransferId">The transfer's id: the message id of its package (<c>tm-</c> and 32 hex digits).</param>
public sealed record OutgoingTransferReceipt(string TransferId, string MessageId, string State, DateTimeOffset AcknowledgementDeadline);

/// <summary>The case's transfer as its coordinators see it on the case (ids, codes, state and deadline only).</summary>
public sealed record CaseTransferView(string MessageId, string ReceiverMunicipalityCode, string State, DateTimeOffset AcknowledgementDeadline);

/// <summary>A transfer's states: queued → delivered → acknowledged; failed when delivery ended as a dead letter.</summary>
public static class OutgoingTransferStates
{
    public const string Queued = "queued";
    public const string Delivered = "delivered";
    public const string Acknowledged = "acknowledged";
    public const string Failed = "failed";

    /// <summary>A failed transfer no longer holds the case: a coordinator may send again.</summary>
    public static bool IsActive(string state) => state is Queued or Delivered or Acknowledged;
}

public static class OutgoingTransferLimits
{
    public const int MaxSummaryLength = 4000;
    public const int MaxNewAreaLength = 200;
    public const int MaxBodyBytes = 64 * 1024;
    public const string FamilyMove = "family-move";
}
