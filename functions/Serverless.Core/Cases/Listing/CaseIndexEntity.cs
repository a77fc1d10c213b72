using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.Listing;

/// <summary>
/// A pointer to a case, in the partition of its status (<c>status-registered</c>) and of each agency on
/// it (<c>agency-{id}</c>). Row key: next review date then case id, so "review due before" is a row-key
/// range and the review ledger comes out in date order. Index rows only point: whether a caller sees a
/// case, and whether it still matches, is decided from the case itself.
/// </summary>
public sealed class CaseIndexEntity : ITableEntity, ISchemaVersioned
{
    public const string NoReviewDate = "99999999";

    /// <summary><see cref="ActiveUntil"/> of a pointer whose agency takes part with no end date.</summary>
    public const string Open = "99999999";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string CaseId { get; set; } = "";

    public string Category { get; set; } = "";

    public string Status { get; set; } = "";

    /// <summary>The last day (<c>yyyyMMdd</c>) the agency of this partition takes part in the case.</summary>
    public string ActiveUntil { get; set; } = Open;

    public static string StatusPartition(CaseStatus status) => "status-" + Name(status);

    public static string AgencyPartition(string agencyId) => "agency-" + agencyId;

    public static string Row(DateOnly? nextReviewDate, string caseId)
        => (nextReviewDate is { } date ? Day(date) : NoReviewDate) + "-" + caseId;

    public static string Day(DateOnly date) => date.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
