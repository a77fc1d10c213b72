using Azure;
using Azure.Data.Tables;
using Serverless.Cases.Storage;
using Serverless.Storage;

namespace Serverless.OnCall;

/// <summary>
/// The one row of the OnCall table: partition <c>on-call</c>, row <c>schedule</c>. The schedule's JSON is split
/// over <see cref="RecordChunks"/> like a case record (a string property holds 32 K characters).
/// </summary>
public sealed class OnCallEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
    public const string Partition = "on-call";
    public const string Row = "schedule";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>1 for the first schedule saved, one more for every change: the API's ETag.</summary>
    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The coordinator's person id (opaque).</summary>
    public string UpdatedBy { get; set; } = "";

    public string? Schedule0 { get; set; }

    public string? Schedule1 { get; set; }

    public string? Schedule2 { get; set; }

    public string? Schedule3 { get; set; }

    public string? Schedule4 { get; set; }

    public string? Schedule5 { get; set; }

    public string? Schedule6 { get; set; }

    public string? Schedule7 { get; set; }

    public string GetScheduleJson() => RecordChunks.Join([Schedule0, Schedule1, Schedule2, Schedule3, Schedule4, Schedule5, Schedule6, Schedule7]);

    public void SetScheduleJson(string json)
    {
        var chunks = RecordChunks.Split(json);
        (Schedule0, Schedule1, Schedule2, Schedule3, Schedule4, Schedule5, Schedule6, Schedule7) =
            (chunks[0], chunks[1], chunks[2], chunks[3], chunks[4], chunks[5], chunks[6], chunks[7]);
    }
}
