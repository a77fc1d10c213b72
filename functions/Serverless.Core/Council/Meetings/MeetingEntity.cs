using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Council.Meetings;

/// <summary>A council meeting: partition the meeting id, one row. No case data in keys; the minutes never logged.</summary>
public sealed class MeetingEntity : ITableEntity, ISchemaVersioned
{
    public const string Row = "meeting";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    /// <summary><see cref="Cases.MeetingKind"/>, kebab-case.</summary>
    public string Kind { get; set; } = "";

    /// <summary>yyyy-MM-dd.</summary>
    public string Date { get; set; } = "";

    public string Title { get; set; } = "";

    /// <summary>Comma-separated agency ids.</summary>
    public string AttendingAgencyIds { get; set; } = "";

    public string? Minutes { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
