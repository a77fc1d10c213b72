using System.Text.Json.Serialization;
using Serverless.Cases;

namespace Serverless.Transfers.Packages;

/// <summary>
/// What the sending coordinator says about the hand-over (引継ぎ): why (the family's move, with the new area as far as
/// known), the risk level they hand over at, their summary, and the face-to-face hand-over (対面引継ぎ) arranged.
/// </summary>
/// <remarks>
/// <see cref="NewArea"/> and <see cref="FaceToFaceDate"/> are written even when null: they are constructor parameters
/// without a default, which <see cref="CaseJson"/> requires on reading, so a package without a face-to-face date (a
/// medium-risk send) would otherwise not parse at the receiver.
/// </remarks>
public sealed record TransferHandover(
    string ReasonKind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NewArea,
    RiskLevel RiskLevel,
    string Summary,
    bool FaceToFaceArranged,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateOnly? FaceToFaceDate,
    DateTimeOffset AcknowledgementDeadline);
