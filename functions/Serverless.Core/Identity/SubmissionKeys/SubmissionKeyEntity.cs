using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// One submission key: partition <c>key</c>, row the key id. A council has tens of keys, so one partition
/// holds them all; authentication is a point read by key id. Never the key itself: only the SHA-256 of
/// its secret. Lists are stored as JSON arrays (tables have no list type).
/// </summary>
public sealed class SubmissionKeyEntity : ITableEntity, ISchemaVersioned
{
    public const string Partition = "key";
    public const int CurrentSchemaVersion = 1;

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string AgencyId { get; set; } = "";

    public string Label { get; set; } = "";

    /// <summary>Base64 of SHA-256(secret bytes).</summary>
    public string SecretHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Opaque person id of the admin who issued it.</summary>
    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    /// <summary>JSON array of normalised origins (<c>https://host[:port]</c>); empty: any origin.</summary>
    public string AllowedOrigins { get; set; } = "[]";

    /// <summary>JSON array of CIDR ranges (a single address as /32 or /128); empty: any address.</summary>
    public string AllowedAddresses { get; set; } = "[]";

    /// <summary>The key id that replaced this one in a rotation.</summary>
    public string? ReplacedBy { get; set; }
}
