using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Files.Storage;

/// <summary>
/// A file's row, in its case's partition of the Cases table (row <c>file-{fileId}</c>), so a disposal, a backup and a
/// restore take it with the case, and attaching it to an entry is in the same batch as the entry. The original name
/// is the only personal data here (<see cref="Name"/>): keys, blob names and messages carry ids only.
/// </summary>
public sealed class FileEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
    public const string RowPrefix = "file-";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string FileId { get; set; } = "";

    /// <summary><see cref="FileState"/>, kebab-case.</summary>
    public string State { get; set; } = "";

    /// <summary><see cref="UploadRoute"/>, kebab-case.</summary>
    public string Route { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }

    public string UploaderKind { get; set; } = "";

    public string UploaderId { get; set; } = "";

    public string UploaderAgencyId { get; set; } = "";

    /// <summary>The sanitised original file name. Never logged.</summary>
    public string Name { get; set; } = "";

    public long? DeclaredLength { get; set; }

    public long? ReceivedLength { get; set; }

    public string? EntryId { get; set; }

    public DateTimeOffset? AttachedAt { get; set; }

    /// <summary><see cref="FileKind"/>, set once accepted.</summary>
    public string? Kind { get; set; }

    public string? ReceivedSha256 { get; set; }

    public long? ReceivedBytes { get; set; }

    public string? StoredSha256 { get; set; }

    public long? StoredBytes { get; set; }

    /// <summary>What photo cleaning removed (<see cref="PhotoMetadata"/> names), comma-separated.</summary>
    public string? Removed { get; set; }

    public bool? Thumbnail { get; set; }

    public DateTimeOffset? ValidatedAt { get; set; }

    /// <summary>A <see cref="FileRejections"/> key.</summary>
    public string? RejectionReason { get; set; }

    /// <summary>The rejection message's placeholder values, as JSON.</summary>
    public string? RejectionArguments { get; set; }

    public DateTimeOffset? RejectedAt { get; set; }

    public DateTimeOffset? UploadExpiresAt { get; set; }

    public static string Row(string fileId) => RowPrefix + fileId;
}
