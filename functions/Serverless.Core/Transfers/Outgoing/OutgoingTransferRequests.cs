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

/// <summary>The case's transfer as its coordinators see it on the case: ids, codes, state and deadline, and the partner's
/// signed answers (who acknowledged and when; what it asked for more).</summary>
/// <param name="AcknowledgedBy">The receiving coordinator's name as the partner's signed acknowledgement gives it.</param>
/// <param name="MoreRequests">The partner's more-requests, oldest first (the latest 10).</param>
public sealed record CaseTransferView(
    string MessageId, string ReceiverMunicipalityCode, string State, DateTimeOffset AcknowledgementDeadline,
    DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, IReadOnlyList<TransferMoreRequestView> MoreRequests);

/// <summary>One more-request from the receiving council (a signed <c>more-request</c> answer).</summary>
/// <param name="MessageId">The answer message's id.</param>
/// <param name="RequestedBy">The receiving coordinator's name as the signed answer gives it.</param>
/// <param name="Request">What the receiver asks for (1–2,000 characters).</param>
public sealed record TransferMoreRequestView(string MessageId, DateTimeOffset RequestedAt, string RequestedBy, string Request);

/// <summary><c>POST /api/cases/{caseId}/transfers/{messageId}/handover</c>: the face-to-face hand-over (対面引継ぎ) was done.</summary>
/// <param name="Date">yyyy-MM-dd (Japan): not in the future, not before the transfer was sent.</param>
public sealed record RecordHandoverRequest(DateOnly? Date = null);

/// <summary><c>POST /api/cases/{caseId}/transfers/{messageId}/withdrawal</c>: the sending council takes the transfer back.</summary>
/// <param name="Reason">Why (1–500 characters); kept on the transfer's row, never logged.</param>
public sealed record WithdrawTransferRequest(string? Reason = null);

/// <summary>A transfer's states: queued → delivered → acknowledged; more-requested when the receiver asked for more (an
/// acknowledgement still follows); failed when delivery ended as a dead letter (an acknowledgement arriving after all
/// clears it); withdrawn when the sending coordinator took it back before it was acknowledged.</summary>
public static class OutgoingTransferStates
{
    public const string Queued = "queued";
    public const string Delivered = "delivered";
    public const string Acknowledged = "acknowledged";
    public const string Failed = "failed";
    public const string Withdrawn = "withdrawn";
    public const string MoreRequested = "more-requested";

    /// <summary>A failed or withdrawn transfer no longer holds the case: a coordinator may send again.</summary>
    public static bool IsActive(string state) => state is Queued or Delivered or MoreRequested or Acknowledged;
}

public static class OutgoingTransferLimits
{
    public const int MaxSummaryLength = 4000;
    public const int MaxNewAreaLength = 200;
    public const int MaxBodyBytes = 64 * 1024;
    public const string FamilyMove = "family-move";
    public const int MaxWithdrawalReasonLength = 500;
    public const int MaxActionBodyBytes = 16 * 1024;
}

/// <summary>Why a send was refused, with its own detail (see the case results' refusal details).</summary>
public static class OutgoingTransferRefusals
{
    /// <summary>More timeline entries or file references than a receiving intake takes (<see cref="Incoming.IncomingTransferLimits"/>).</summary>
    public const string PackageTooLarge = "package-too-large";

    /// <summary>An export file over the entry or file limits, or over <c>Transfers:ExportMaxBytes</c>.</summary>
    public const string ExportTooLarge = "export-too-large";

    public static IReadOnlyDictionary<string, (string Ja, string En)> Messages { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [PackageTooLarge] = (
            "このケースの移管パッケージは記録 {entries} 件・添付ファイル {files} 件で、受け取れる上限（記録 {maxEntries} 件・ファイル {maxFiles} 件）を超えています。何も封緘・保存していません。移管先と相談し、別の方法（移管ファイルや紙）で引き継いでください。",
            "This case's package would carry {entries} timeline entries and {files} file references, over what a receiving council accepts ({maxEntries} entries, {maxFiles} files). Nothing was sealed or stored. Agree another way with the receiver (an export file or paper)."),
        [ExportTooLarge] = (
            "このケースの移管ファイルは記録 {entries} 件・添付ファイル {files} 件・{bytes} バイトで、上限（記録 {maxEntries} 件・ファイル {maxFiles} 件・{maxBytes} バイト）を超えています。何も作成していません。移管先と相談し、別の方法（紙や対面）で引き継いでください。",
            "This case's export file would carry {entries} timeline entries, {files} files and {bytes} bytes, over the limits ({maxEntries} entries, {maxFiles} files, {maxBytes} bytes). Nothing was made. Agree another way with the receiver (paper or in person)."),
    };
}
