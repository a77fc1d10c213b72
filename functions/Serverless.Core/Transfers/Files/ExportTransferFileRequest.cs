using Serverless.Cases;
using Serverless.Transfers.Outgoing;

namespace Serverless.Transfers.Files;

/// <summary>
/// <c>POST /api/cases/{caseId}/transfer-files</c>: a coordinator makes the export file of a case for a receiving council
/// that does not run this system. The hand-over fields are a send's (<see cref="SendTransferRequest"/>).
/// </summary>
/// <param name="Recipient">Who the file is encrypted to: the receiving coordinator's key, checked by phone.</param>
public sealed record ExportTransferFileRequest(
    TransferFileRecipientInput? Recipient = null,
    TransferReasonInput? Reason = null,
    RiskLevel? RiskLevel = null,
    string? Summary = null,
    FaceToFaceInput? FaceToFace = null);

/// <param name="MunicipalityCode">The receiving council's 全国地方公共団体コード (with its check digit; not our own).</param>
/// <param name="EncryptionKeyPem">The receiving coordinator's RSA public key (≥ 3072 bits, PEM), as made by
/// <c>serverless-ops transfer-key new</c> (<c>transfer-key.pub.pem</c>). A private key is refused.</param>
/// <param name="EncryptionKeyFingerprint">The fingerprint the receiving coordinator read out on the phone (hex; colons,
/// spaces, hyphens and case ignored). It must be the key's, else 400 <c>fingerprint-mismatch</c>.</param>
public sealed record TransferFileRecipientInput(string? MunicipalityCode = null, string? EncryptionKeyPem = null, string? EncryptionKeyFingerprint = null);

/// <summary>The export file made: its bytes, the download name (ids only) and the message id it carries.</summary>
public sealed record ExportedTransferFile(byte[] Content, string FileName, string MessageId);

public static class TransferFileExportLimits
{
    /// <summary>The request body: a public key PEM and the hand-over texts fit easily.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The longest key PEM taken (an RSA 4096 public key is about 800 characters).</summary>
    public const int MaxKeyPemLength = 8 * 1024;

    /// <summary>
    /// The largest export file answered by default: 100 MiB (<c>Transfers:ExportMaxBytes</c>). The whole file is built in
    /// memory and sent as one response, so it stays well under <see cref="TransferFile.MaxFileBytes"/> and a Consumption
    /// plan's memory and response size.
    /// </summary>
    public const long DefaultMaxBytes = 100L * 1024 * 1024;
}
