using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Entries;

/// <summary>
/// A row of a case's entries, in the case's own partition of the Cases table (so a disposal, a backup and a
/// restore take them with the case, and a case change's row is written in the same batch as its version).
/// Rows: <c>t{received, newest first}-{entryId}</c>, the timeline head (the entry as it reads now: one partition
/// range query gives a page); <c>e{entryId}-v{n}</c>, every version of it (a report's corrections). Personal
/// data (text, a form's typed name) lives in <see cref="Text"/> and <see cref="Details"/> only, never in keys.
/// </summary>
public sealed class EntryEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
    public const string TimelinePrefix = "t";
    public const string VersionPrefix = "e";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string EntryId { get; set; } = "";

    /// <summary><see cref="EntryType"/>, kebab-case.</summary>
    public string Type { get; set; } = "";

    /// <summary>When the system received the entry (its place on the timeline).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? ObservedAt { get; set; }

    /// <summary><c>person</c> or <c>key</c>.</summary>
    public string AuthorKind { get; set; } = "";

    /// <summary>A person id or a submission key's id: opaque.</summary>
    public string AuthorId { get; set; } = "";

    public string AuthorAgencyId { get; set; } = "";

    /// <summary><see cref="Cases.EntryAudience"/>, kebab-case.</summary>
    public string Audience { get; set; } = "";

    /// <summary>For <c>named-agencies</c>: the agency ids, comma-separated.</summary>
    public string? ScopeAgencyIds { get; set; }

    /// <summary>The version this row holds (the head: the newest).</summary>
    public int Version { get; set; } = 1;

    /// <summary>A report's narrative, a comment's text, a case change's reason. Never logged.</summary>
    public string? Text { get; set; }

    /// <summary>The type's structured fields as JSON (kind, urgency, absence, injury, typed author, mentions, changes).</summary>
    public string? Details { get; set; }

    /// <summary>On a version after the first: why it was corrected.</summary>
    public string? VersionReason { get; set; }

    /// <summary>On a version: when it was made (the first: <see cref="ReceivedAt"/>).</summary>
    public DateTimeOffset? VersionAt { get; set; }

    public string? VersionBy { get; set; }

    public string? RedactedBy { get; set; }

    public DateTimeOffset? RedactedAt { get; set; }

    public string? RedactionReason { get; set; }

    /// <summary>On version rows: the row key of the timeline head.</summary>
    public string? TimelineRow { get; set; }

    /// <summary>The timeline row key: received time counted down from the end of time (newest first), then the id.</summary>
    public static string TimelineRowKey(DateTimeOffset receivedAt, string entryId)
        => TimelinePrefix + Inverted(receivedAt) + "-" + entryId;

    /// <summary>The first timeline row key of entries received strictly before <paramref name="before"/>.</summary>
    public static string TimelineRowKeyBefore(DateTimeOffset before)
        => TimelinePrefix + (DateTimeOffset.MaxValue.UtcTicks - before.UtcTicks + 1).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    public static string VersionRowKey(string entryId, int version)
        => VersionPrefix + entryId + "-v" + version.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    private static string Inverted(DateTimeOffset at)
        => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
