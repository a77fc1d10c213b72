using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Notifications;

/// <summary>One notification: partition the recipient's person id, row newest first (inverted ticks). The same
/// partition holds the person's read mark (<see cref="NotificationInbox.ReadMarkRow"/>), which sorts after every
/// notification.</summary>
public sealed class NotificationEntity : ITableEntity, ISchemaVersioned
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string Kind { get; set; } = "";

    public string CaseId { get; set; } = "";

    public string? GrantId { get; set; }

    public string ActorId { get; set; } = "";

    public string ActorAgencyId { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string? ReferralId { get; set; }

    public bool? Urgent { get; set; }

    public string? EntryId { get; set; }

    public string? EntryType { get; set; }

    public string? EntryRow { get; set; }

    public bool? Mentioned { get; set; }

    public string? TaskId { get; set; }

    /// <summary>False until read one by one, so the unread filter is a plain comparison (a table filter cannot ask for a
    /// missing property).</summary>
    public bool Read { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}
