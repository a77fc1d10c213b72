using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Referrals;

/// <summary>
/// The rows of the Referrals table. A referral's own partition is its id: <c>referral</c>, its head (what it says
/// as JSON, never in keys); <c>c{recorded, oldest first}-{id}</c>, each safety confirmation; <c>x{stage}</c>, each
/// escalation raised; the idempotency rows of the request that created it. Index partitions (<see cref="ReferralIndexEntity"/>)
/// point at referrals by id. Every row names its referral in <see cref="ReferralId"/>, so an erasure finds them all.
/// </summary>
public sealed class ReferralEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
    public const string HeadRow = "referral";
    public const string ConfirmationPrefix = "c";
    public const string EscalationPrefix = "x";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string ReferralId { get; set; } = "";

    public string ReceiptNumber { get; set; } = "";

    /// <summary><see cref="ReferralKind"/>, kebab-case.</summary>
    public string Kind { get; set; } = "";

    public string Channel { get; set; } = "";

    public string? Route { get; set; }

    public string State { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? DeadlineAt { get; set; }

    public DateTimeOffset? FirstConfirmedAt { get; set; }

    public int Confirmations { get; set; }

    /// <summary><c>person</c> or <c>key</c>; the id and agency: identifying, coordinators only.</summary>
    public string SubmitterKind { get; set; } = "";

    public string SubmitterId { get; set; } = "";

    public string SubmitterAgencyId { get; set; } = "";

    /// <summary>The referral's content as JSON (<see cref="ReferralContent"/> with a form's typed name). Never logged.</summary>
    public string Content { get; set; } = "";

    public string? Decision { get; set; }

    public string? Acceptance { get; set; }

    /// <summary>The case it became part of: how the case's eraser finds it.</summary>
    public string? CaseId { get; set; }

    public DateTimeOffset? RetainUntil { get; set; }
}

/// <summary>A safety confirmation or an escalation of one referral, as JSON in its partition.</summary>
public sealed class ReferralPartEntity : ITableEntity, ISchemaVersioned
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string ReferralId { get; set; } = "";

    public string Json { get; set; } = "";
}

/// <summary>
/// A pointer to a referral. Partitions: <c>open</c>, every open referral (row: its id) with what the coordinators'
/// list shows, so the list is one partition query however many are closed; <c>s-{submitter id}</c>, what one person or
/// form submitted, newest first; <c>receipts</c>, receipt numbers (row: the number); <c>m-{yyyy-MM}</c>, every referral
/// received in that month in Japan (row: its id, with <see cref="ReceivedAt"/>), so the counts of a period read one
/// partition a month. Written before the referral itself: <see cref="Confirmed"/> says the referral was seen stored,
/// and a pointer to nothing is dropped by the clock (the open list's) or skipped by whoever reads it.
/// </summary>
public sealed class ReferralIndexEntity : ITableEntity, ISchemaVersioned
{
    public const string OpenPartition = "open";
    public const string ReceiptPartition = "receipts";
    public const string SubmitterPrefix = "s-";
    public const string MonthPrefix = "m-";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string ReferralId { get; set; } = "";

    public string ReceiptNumber { get; set; } = "";

    public string Kind { get; set; } = "";

    public string State { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? DeadlineAt { get; set; }

    public bool ClockRunning { get; set; }

    /// <summary>The escalation stages raised, comma-separated.</summary>
    public string? Stages { get; set; }

    public bool Confirmed { get; set; }

    public static string SubmitterPartition(string submitterId) => SubmitterPrefix + submitterId;

    /// <summary>The partition of the referrals received in <paramref name="month"/>'s month (Japan time): <c>m-2025-06</c>.</summary>
    public static string MonthPartition(DateOnly month)
        => MonthPrefix + month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public static string SubmitterRow(DateTimeOffset receivedAt, string referralId)
        => (DateTimeOffset.MaxValue.UtcTicks - receivedAt.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + referralId;
}
