using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.BreakGlass;

/// <summary>One grant: partition the case id, row the grant id (time-ordered).</summary>
public sealed class BreakGlassEntity : ITableEntity, ISchemaVersioned
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string PersonId { get; set; } = "";

    public string AgencyId { get; set; } = "";

    public string Reason { get; set; } = "";

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string? ReviewedBy { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    public string? Finding { get; set; }
}
