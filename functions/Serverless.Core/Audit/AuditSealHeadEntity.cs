using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Audit;

/// <summary>
/// A hint in <c>AuditSeals</c> (partition and row <see cref="Key"/>): the last seal number a sealer wrote,
/// so the next run finds the chain's end with one point read and one short query instead of reading every
/// seal. Only a hint: the sealer always reads forward from it, and a wrong one costs a longer query, never
/// a wrong seal. Last writer wins, which is harmless for a hint.
/// </summary>
public sealed class AuditSealHeadEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public const string Key = "head";

    public string PartitionKey { get; set; } = Key;

    public string RowKey { get; set; } = Key;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public long LastSealNumber { get; set; }
}
