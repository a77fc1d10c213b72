using Serverless.Cases;

namespace Serverless.Transfers.Outgoing;

/// <summary>
/// How long the receiver has to acknowledge a transfer (section <c>Transfers:AcknowledgeWithinHours</c>): 24 hours for a
/// high (or critical) risk case, 72 otherwise.
/// </summary>
public sealed class AcknowledgeWithinHoursOptions
{
    public const string Section = "Transfers:AcknowledgeWithinHours";

    public int High { get; set; } = 24;

    public int Other { get; set; } = 72;

    public TimeSpan For(RiskLevel risk) => TimeSpan.FromHours(OutgoingTransferRules.IsHighRisk(risk) ? High : Other);
}

public static class OutgoingTransferRules
{
    /// <summary>High and critical: a face-to-face hand-over date is required, and must be recorded before closing.</summary>
    public static bool IsHighRisk(RiskLevel risk) => risk is RiskLevel.High or RiskLevel.Critical;
}
