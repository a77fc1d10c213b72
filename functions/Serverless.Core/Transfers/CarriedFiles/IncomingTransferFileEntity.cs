using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>
/// One carried file received (table <c>IncomingTransferFiles</c>): partition the sender's municipality code, row
/// <c>file.{packageMessageId}.{fileId}</c> (insert-only). The bytes are the blob <c>transfers-incoming-files/{sender}/{package}/{fileId}</c>.
/// <see cref="Name"/> is the file name the package gave (entry content: never logged, never in a key or a blob name).
/// The import fields say where it went once the package was accepted into a case.
/// </summary>
public sealed class IncomingTransferFileEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string PackageMessageId { get; set; } = "";

    public string FileId { get; set; } = "";

    /// <summary>The <c>file</c> message that carried it.</summary>
    public string FileMessageId { get; set; } = "";

    public string Name { get; set; } = "";

    public string ContentType { get; set; } = "";

    /// <summary>SHA-256 of the bytes, lower-case hex: the package's reference, checked on receipt.</summary>
    public string Sha256 { get; set; } = "";

    public long Length { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The case it is imported into (set before the case's file is written, so a retry reuses the same file id).</summary>
    public string? ImportCaseId { get; set; }

    public string? ImportFileId { get; set; }

    public string? ImportEntryId { get; set; }

    /// <summary><see cref="CarriedFileImportStates"/>; null until the package is accepted.</summary>
    public string? ImportState { get; set; }

    /// <summary>Why the import could not attach it (<see cref="CarriedFileImportStates.Failed"/>): a code, no content.</summary>
    public string? ImportFailure { get; set; }

    public DateTimeOffset? ImportedAt { get; set; }

    public static string Row(string packageMessageId, string fileId) => $"file.{packageMessageId}.{fileId}";
}

/// <summary>Where a received file stands in its import into the accepted case.</summary>
public static class CarriedFileImportStates
{
    /// <summary>A case file id is chosen; its row, bytes or attachment may still be missing (a retry completes them).</summary>
    public const string Importing = "importing";

    /// <summary>In the case's quarantine, attached to its entry; validation decides ready or rejected like an upload.</summary>
    public const string Imported = "imported";

    /// <summary>Not attached: <see cref="IncomingTransferFileEntity.ImportFailure"/> says why.</summary>
    public const string Failed = "failed";
}
