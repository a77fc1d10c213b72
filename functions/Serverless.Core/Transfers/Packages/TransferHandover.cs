using Serverless.Cases;

namespace Serverless.Transfers.Packages;

/// <summary>
/// What the sending coordinator says about the hand-over (引継ぎ): why (the family's move, with the new area as far as
/// known), the risk level they hand over at, their summary, and the face-to-face hand-over (対面引継ぎ) arranged.
/// </summary>
public sealed record TransferHandover(string ReasonKind, string? NewArea, RiskLevel RiskLevel, string Summary, bool FaceToFaceArranged, DateOnly? FaceToFaceDate, DateTimeOffset AcknowledgementDeadline);
