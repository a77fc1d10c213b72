using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Audit;

/// <summary>
/// One row of <c>AuditByCase</c>: "who looked at this case" in one partition query. Partition: the case id;
/// row: the outcome (or event) entry id in <c>AuditLog</c>. A copy of that entry's non-personal fields
/// (no client address). Not sealed itself: the verifier checks each row against its sealed entry.
/// </summary>
public sealed class AuditByCaseEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary><see cref="AuditEntryKinds.Outcome"/> or <see cref="AuditEntryKinds.Event"/>.</summary>
    public string Kind { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string ActorKind { get; set; } = "";

    public string? ActorId { get; set; }

    public string? AgencyId { get; set; }

    public string? Role { get; set; }

    public string Action { get; set; } = "";

    /// <summary>The entry within the case, when the action named one.</summary>
    public string? EntryId { get; set; }

    /// <summary>On outcomes: the ids of the case's entries (reports, comments) whose content the answer carried, comma-separated.</summary>
    public string? EntriesTouched { get; set; }

    public string? Outcome { get; set; }

    public bool BreakGlass { get; set; }

    public string RequestId { get; set; } = "";

    /// <summary>A transfer's receiving or sending council, message id and the SHA-256 of the files it carried (comma-separated):
    /// what a case's transfer disclosed, so the audit by case shows it (issue #17).</summary>
    public string? TargetMunicipalityCode { get; set; }

    public string? TargetMessageId { get; set; }

    public string? TargetFileHashes { get; set; }
}
