using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Attendance;

/// <summary>
/// One row of the Attendance table. Every kind of row keeps its payload as JSON in <see cref="Data"/>; a row that
/// belongs to a child's case carries <see cref="CaseId"/>, which is how the eraser finds it (list entries, report rows,
/// absence notices, alerts). Keys hold agency ids, months, dates and opaque entry ids only: never a name.
/// </summary>
public sealed class AttendanceEntity : ITableEntity, ISchemaVersioned
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    /// <summary>The case the row belongs to (null for rows of the agency: staff, calendar, report heads, reminders).</summary>
    public string? CaseId { get; set; }

    /// <summary>The row's payload as JSON.</summary>
    public string Data { get; set; } = "{}";
}
