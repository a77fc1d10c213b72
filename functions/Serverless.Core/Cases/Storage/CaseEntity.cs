using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.Storage;

/// <summary>
/// A row of the Cases table. Partition: the case id, so everything about one case is one partition.
/// Rows: <c>current</c> (the editable record now), <c>v…</c> (every version ever saved, newest first),
/// <c>activity</c> (frequent activity kept apart so it never changes the record's ETag).
/// </summary>
public sealed class CaseEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
    public const string CurrentRow = "current";
    public const string ActivityRow = "activity";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public long Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>Opaque ids of who made this version, and their agency.</summary>
    public string ChangedBy { get; set; } = "";

    public string ChangedByAgency { get; set; } = "";

    /// <summary>Why (version rows): a coordinator's words; may mention the child, so never logged.</summary>
    public string? Reason { get; set; }

    /// <summary>JSON array of the paths this version changed (version rows).</summary>
    public string? ChangedFields { get; set; }

    public string? Record0 { get; set; }

    public string? Record1 { get; set; }

    public string? Record2 { get; set; }

    public string? Record3 { get; set; }

    public string? Record4 { get; set; }

    public string? Record5 { get; set; }

    public string? Record6 { get; set; }

    public string? Record7 { get; set; }

    /// <summary>Row key of a version: inverted, so a partition query lists the newest first.</summary>
    public static string VersionRow(long version) => "v" + (9_999_999_999L - version).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    public string GetRecordJson() => RecordChunks.Join([Record0, Record1, Record2, Record3, Record4, Record5, Record6, Record7]);

    public void SetRecordJson(string json)
    {
        var chunks = RecordChunks.Split(json);
        (Record0, Record1, Record2, Record3, Record4, Record5, Record6, Record7) =
            (chunks[0], chunks[1], chunks[2], chunks[3], chunks[4], chunks[5], chunks[6], chunks[7]);
    }
}
