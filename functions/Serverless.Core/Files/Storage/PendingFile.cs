using Azure;
using Azure.Data.Tables;

namespace Serverless.Files.Storage;

/// <summary>
/// A pointer to a file not yet attached to an entry, in the <c>FilePending</c> table (one partition, rows in upload
/// order): what the sweep reads to re-queue a validation whose message was lost and to delete, after a day, a file
/// never completed or never attached, without scanning every case. Ids and a time only.
/// </summary>
public sealed class PendingFileEntity : ITableEntity, Serverless.Storage.ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public const string Partition = "pending";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string CaseId { get; set; } = "";

    public string FileId { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>Upload time (ticks, so rows sort oldest first), then the file id.</summary>
    public static string Row(DateTimeOffset uploadedAt, string fileId)
        => uploadedAt.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-" + fileId;

    /// <summary>The first row key of files uploaded at or after <paramref name="at"/>.</summary>
    public static string RowAt(DateTimeOffset at) => at.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
