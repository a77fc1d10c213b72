using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Council.Tasks;

/// <summary>
/// A task still to be reminded of, in the <c>TaskReminders</c> table: one partition, rows ordered by due date
/// (<c>{yyyy-MM-dd}_{caseId}_{taskId}</c>: ids and a date, nothing else), so the daily run reads only the tasks due by
/// its horizon. Written before the review's batch (persist first): a pointer whose task never came is dropped by the run
/// once it is old enough. Removed when the task is done, once its overdue reminder went out, or with its case.
/// </summary>
public sealed class TaskDueEntity : ITableEntity, ISchemaVersioned
{
    public const string Pending = "pending";

    public string PartitionKey { get; set; } = Pending;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string CaseId { get; set; } = "";

    public string TaskId { get; set; } = "";

    /// <summary>yyyy-MM-dd.</summary>
    public string DueDate { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the reminder before the due date went out (null: not yet).</summary>
    public DateTimeOffset? DueSoonSentAt { get; set; }

    public static string Row(string dueDate, string caseId, string taskId) => dueDate + "_" + caseId + "_" + taskId;
}
