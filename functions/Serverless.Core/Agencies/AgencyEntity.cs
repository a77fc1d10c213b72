using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Agencies;

/// <summary>One agency: partition "agency", row the agency id (opaque). Agency names are not personal data.</summary>
public sealed class AgencyEntity : ITableEntity, ISchemaVersioned
{
    public const string Partition = "agency";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string Name { get; set; } = "";

    public string Kind { get; set; } = "";

    public bool IsCouncilMember { get; set; }

    /// <summary>yyyy-MM-dd, or null when not yet acknowledged.</summary>
    public string? ConfidentialityAcknowledgedOn { get; set; }
}
