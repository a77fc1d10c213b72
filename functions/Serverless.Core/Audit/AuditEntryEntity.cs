using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Audit;

/// <summary>
/// One row of <c>AuditLog</c>, written once and never updated. Partition: the UTC day (<c>yyyyMMdd</c>);
/// row: the entry id (<see cref="AuditEntryIds"/>). Ids, codes and times only: never case contents,
/// names or free text. The sealer hashes every stored property, so a later edit shows.
/// </summary>
public sealed class AuditEntryEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary><see cref="AuditEntryKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>On an outcome: the entry id of its intent.</summary>
    public string? IntentId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary><see cref="AuditActorKind"/> by name.</summary>
    public string ActorKind { get; set; } = "";

    public string? ActorId { get; set; }

    public string? AgencyId { get; set; }

    public string? Role { get; set; }

    /// <summary><see cref="AuditActions"/>.</summary>
    public string Action { get; set; } = "";

    public string? CaseId { get; set; }

    /// <summary>
    /// On an event refused before the caller was authenticated: the case id the request named. Kept for the record,
    /// never indexed under the case (<see cref="CaseId"/> stays empty): it is the anonymous caller's word, and indexing it
    /// would let anyone fill a case's audit index.
    /// </summary>
    public string? RequestedCaseId { get; set; }

    /// <summary>The entry within the case, if the action was about one.</summary>
    public string? EntryId { get; set; }

    /// <summary><see cref="AuditOutcome"/> by name; none on an intent.</summary>
    public string? Outcome { get; set; }

    public bool BreakGlass { get; set; }

    public string RequestId { get; set; } = "";

    public string? ClientAddress { get; set; }

    /// <summary>On list and search outcomes: the ids of every case the answer carried, comma-separated.</summary>
    public string? CasesTouched { get; set; }

    /// <summary>On outcomes: the ids of the case's entries (reports, comments) whose content the answer carried, comma-separated.</summary>
    public string? EntriesTouched { get; set; }

    /// <summary>On administration acts: the person acted on (<see cref="AuditTarget"/>). Like every target field it is
    /// absent, not null, on entries without one, so entries written before target fields existed hash as they did.</summary>
    public string? TargetPersonId { get; set; }

    /// <summary>The membership granted or ended.</summary>
    public string? TargetMembershipId { get; set; }

    /// <summary>The role granted or ended, by name.</summary>
    public string? TargetRole { get; set; }

    /// <summary>The agency acted on (saved, a membership's, a key's or a webhook's).</summary>
    public string? TargetAgencyId { get; set; }

    /// <summary>The submission key issued, rotated or revoked (its visible id).</summary>
    public string? TargetKeyId { get; set; }

    /// <summary>The council meeting an export of the ledger was taken for.</summary>
    public string? TargetMeetingId { get; set; }

    /// <summary>The numbered copy (写し番号) of the ledger an export is.</summary>
    public long? TargetCopyNumber { get; set; }

    /// <summary>The partner council (全国地方公共団体コード) a transfer operation concerned.</summary>
    public string? TargetMunicipalityCode { get; set; }

    /// <summary>The transfer message (<c>tm-</c>…) a transfer operation sent or received.</summary>
    public string? TargetMessageId { get; set; }

    /// <summary>The SHA-256 of each file a transfer package carried, comma-separated.</summary>
    public string? TargetFileHashes { get; set; }

    /// <summary>Names of fields the caller passed that were not ids of the expected shape (and so might hold
    /// personal data), comma-separated; the values themselves are not stored.</summary>
    public string? RejectedFields { get; set; }
}
