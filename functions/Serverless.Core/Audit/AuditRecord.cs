namespace Serverless.Audit;

/// <summary>An audit entry as a reader sees it (ids, codes and times).</summary>
/// <param name="AuditEntryId">The entry's id in the audit log (sortable by time).</param>
/// <param name="Kind"><see cref="AuditEntryKinds"/>.</param>
/// <param name="EntryId">The entry within the case, when the action named one.</param>
/// <param name="ClientAddress">Null in by-case results: the index does not copy it (the log entry keeps it).</param>
/// <param name="EntriesTouched">The case's entries (reports, comments) whose content the answer carried; absent when none.</param>
/// <param name="Target">What an administration act did to whom (ids and role names only); absent on other entries.</param>
public sealed record AuditRecord(
    string AuditEntryId,
    DateTimeOffset At,
    string Kind,
    string ActorKind,
    string? ActorId,
    string? AgencyId,
    string? Role,
    string Action,
    string? CaseId,
    string? EntryId,
    string? Outcome,
    bool BreakGlass,
    string RequestId,
    string? ClientAddress,
    IReadOnlyList<string>? EntriesTouched = null,
    AuditTarget? Target = null);

/// <summary>One page of audit records, oldest first, and the token for the next page (null on the last).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Entries, string? ContinuationToken);
