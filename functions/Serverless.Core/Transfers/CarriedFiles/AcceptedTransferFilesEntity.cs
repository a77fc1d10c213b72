using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>
/// A package accepted into a case, as far as its files are concerned (table <c>IncomingTransferFiles</c>, partition the
/// sender's code, row <c>accepted.{packageMessageId}</c>): the case and which entry each file id goes to, so a file that
/// arrives after the acceptance is imported on arrival. Ids only.
/// </summary>
public sealed class AcceptedTransferFilesEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string CaseId { get; set; } = "";

    /// <summary>JSON object: the sender's file id → the imported entry's id (at most 400 pairs of ids: under a property's 32K characters).</summary>
    public string EntryByFile { get; set; } = "{}";

    public DateTimeOffset AcceptedAt { get; set; }

    public static string Row(string packageMessageId) => "accepted." + packageMessageId;
}
