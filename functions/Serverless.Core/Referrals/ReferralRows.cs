using System.Text.Json;
using Serverless.Cases;
using Serverless.Entries;

namespace Serverless.Referrals;

/// <summary>Maps referrals to their rows and back (JSON as the API writes it).</summary>
public static class ReferralRows
{
    /// <summary>The API's JSON rules, except that a stored record's absent optional member is simply null.</summary>
    private static readonly JsonSerializerOptions Stored = new(CaseJson.Options) { RespectRequiredConstructorParameters = false };

    public static ReferralEntity Head(StoredReferral referral) => new()
    {
        PartitionKey = referral.ReferralId,
        RowKey = ReferralEntity.HeadRow,
        ReferralId = referral.ReferralId,
        ReceiptNumber = referral.ReceiptNumber,
        Kind = EntryRows.Name(referral.Kind),
        Channel = EntryRows.Name(referral.Channel),
        Route = referral.Route is { } route ? EntryRows.Name(route) : null,
        State = EntryRows.Name(referral.State),
        ReceivedAt = referral.ReceivedAt,
        DeadlineAt = referral.DeadlineAt,
        FirstConfirmedAt = referral.FirstConfirmedAt,
        Confirmations = referral.Confirmations,
        SubmitterKind = referral.Submitter.Kind,
        SubmitterId = referral.Submitter.Id,
        SubmitterAgencyId = referral.Submitter.AgencyId,
        Content = JsonSerializer.Serialize(new StoredContent(referral.Content, referral.Submitter.SubmittedBy), CaseJson.Options),
        Decision = referral.Decision is { } decision ? JsonSerializer.Serialize(decision, CaseJson.Options) : null,
        Acceptance = referral.Acceptance is { } acceptance ? JsonSerializer.Serialize(acceptance, CaseJson.Options) : null,
        CaseId = referral.CaseId,
        RetainUntil = referral.RetainUntil is { } until ? new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        ETag = referral.ETag,
    };

    public static StoredReferral From(ReferralEntity row)
    {
        var content = JsonSerializer.Deserialize<StoredContent>(row.Content, Stored)!;
        return new StoredReferral(
            row.ReferralId,
            row.ReceiptNumber,
            Parse<ReferralKind>(row.Kind),
            Parse<ReferralChannel>(row.Channel),
            row.Route is { } route ? Parse<ReferralRoute>(route) : null,
            row.ReceivedAt,
            new ReferralSubmitter(row.SubmitterKind, row.SubmitterId, row.SubmitterAgencyId, content.SubmittedBy),
            content.Content)
        {
            State = Parse<ReferralState>(row.State),
            DeadlineAt = row.DeadlineAt,
            FirstConfirmedAt = row.FirstConfirmedAt,
            Confirmations = row.Confirmations,
            Decision = row.Decision is { } decision ? JsonSerializer.Deserialize<ReferralDecision>(decision, Stored) : null,
            Acceptance = row.Acceptance is { } acceptance ? JsonSerializer.Deserialize<CentreAcceptance>(acceptance, Stored) : null,
            RetainUntil = row.RetainUntil is { } until ? DateOnly.FromDateTime(until.UtcDateTime) : null,
            ETag = row.ETag,
        };
    }

    /// <summary>The open list's pointer to <paramref name="referral"/>.</summary>
    public static ReferralIndexEntity OpenPointer(StoredReferral referral, bool confirmed, IEnumerable<EscalationStage> stages) => new()
    {
        PartitionKey = ReferralIndexEntity.OpenPartition,
        RowKey = referral.ReferralId,
        ReferralId = referral.ReferralId,
        ReceiptNumber = referral.ReceiptNumber,
        Kind = EntryRows.Name(referral.Kind),
        State = EntryRows.Name(referral.State),
        ReceivedAt = referral.ReceivedAt,
        DeadlineAt = referral.DeadlineAt,
        ClockRunning = referral.ClockRunning,
        Stages = string.Join(',', stages.Select(EntryRows.Name)) is { Length: > 0 } names ? names : null,
        Confirmed = confirmed,
    };

    /// <summary>The pointer in the partition of the month <paramref name="referral"/> was received (Japan time).</summary>
    public static ReferralIndexEntity MonthPointer(StoredReferral referral) => new()
    {
        PartitionKey = ReferralIndexEntity.MonthPartition(Time.JapanTime.DateOf(referral.ReceivedAt)),
        RowKey = referral.ReferralId,
        ReferralId = referral.ReferralId,
        ReceivedAt = referral.ReceivedAt,
    };

    /// <summary>The pointer from a receipt number to the referral it was given to.</summary>
    public static ReferralIndexEntity ReceiptPointer(string referralId, string receiptNumber) => new()
    {
        PartitionKey = ReferralIndexEntity.ReceiptPartition,
        RowKey = receiptNumber,
        ReferralId = referralId,
        ReceiptNumber = receiptNumber,
    };

    /// <summary>The pointer to <paramref name="referral"/> among its submitter's receipts (newest first).</summary>
    public static ReferralIndexEntity SubmitterPointer(StoredReferral referral) => new()
    {
        PartitionKey = ReferralIndexEntity.SubmitterPartition(referral.Submitter.Id),
        RowKey = ReferralIndexEntity.SubmitterRow(referral.ReceivedAt, referral.ReferralId),
        ReferralId = referral.ReferralId,
        ReceiptNumber = referral.ReceiptNumber,
        ReceivedAt = referral.ReceivedAt,
        Confirmed = true,
    };

    public static IReadOnlyList<EscalationStage> Stages(ReferralIndexEntity pointer)
        => pointer.Stages is { Length: > 0 } names ? [.. names.Split(',').Select(Parse<EscalationStage>)] : [];

    public static ReferralPartEntity Confirmation(string referralId, SafetyConfirmation confirmation) => new()
    {
        PartitionKey = referralId,
        RowKey = ConfirmationRow(confirmation),
        ReferralId = referralId,
        Json = JsonSerializer.Serialize(confirmation, CaseJson.Options),
    };

    public static ReferralPartEntity Escalation(string referralId, Escalation escalation) => new()
    {
        PartitionKey = referralId,
        RowKey = EscalationRow(escalation.Stage),
        ReferralId = referralId,
        Json = JsonSerializer.Serialize(escalation, CaseJson.Options),
    };

    public static string EscalationRow(EscalationStage stage) => ReferralEntity.EscalationPrefix + EntryRows.Name(stage);

    public static T Part<T>(ReferralPartEntity row) => JsonSerializer.Deserialize<T>(row.Json, Stored)!;

    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum
        => EntryRows.Parse<TEnum>(name);

    private static string ConfirmationRow(SafetyConfirmation confirmation)
        => ReferralEntity.ConfirmationPrefix + confirmation.RecordedAt.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + confirmation.ConfirmationId;

    /// <summary>What <see cref="ReferralEntity.Content"/> holds.</summary>
    private sealed record StoredContent(ReferralContent Content, SubmitterInput? SubmittedBy = null);
}
