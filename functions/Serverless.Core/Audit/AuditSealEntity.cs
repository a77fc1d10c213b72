using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Audit;

/// <summary>
/// Seal number N in <c>AuditSeals</c>: partition <see cref="Partition"/>, row N as 12 digits. Inserted once
/// (two sealers cannot both write N). It covers the entries after seal N-1's <see cref="ToEntryId"/> up to
/// its own, chained by <see cref="PreviousHash"/>. The WORM blob <c>seals/{N:D12}.json</c> holds the same
/// and every entry's hash.
/// </summary>
public sealed class AuditSealEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public const string Partition = "seal";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string FromEntryId { get; set; } = "";

    public string ToEntryId { get; set; } = "";

    public int Count { get; set; }

    /// <summary>Lowercase hex SHA-256; 64 zeros for seal 1.</summary>
    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";

    /// <summary>Whole seconds, so the table and the blob agree exactly.</summary>
    public DateTimeOffset SealedAt { get; set; }

    /// <summary>A random id of the sealer run that wrote the row, so that run knows its own row when the storage client's
    /// retry of the insert (the first answer lost on the way) meets it. Not part of the hash; absent on older rows.</summary>
    public string? Writer { get; set; }

    public static string Key(long number) => number.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
}
