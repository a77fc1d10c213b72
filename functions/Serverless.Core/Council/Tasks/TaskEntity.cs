using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Council.Tasks;

/// <summary>
/// A role a meeting gave (家庭訪問, 出欠の確認...), in its case's partition of the Cases table (row <c>j-{taskId}</c>), saved
/// in the same batch as the review's case version: it exists exactly when the review does, is erased with the case and
/// goes into every backup with it.
/// </summary>
public sealed class TaskEntity : ITableEntity, ISchemaVersioned
{
    public const string RowPrefix = "j-";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string TaskId { get; set; } = "";

    public string MeetingId { get; set; } = "";

    public string ReviewEntryId { get; set; } = "";

    /// <summary>What to do: a coordinator's words, may name the child, never logged.</summary>
    public string Title { get; set; } = "";

    public string? OwnerAgencyId { get; set; }

    public string? OwnerPersonId { get; set; }

    /// <summary>yyyy-MM-dd.</summary>
    public string DueDate { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    public string? DoneBy { get; set; }

    public static string Row(string taskId) => RowPrefix + taskId;
}
