using Azure;
using Azure.Data.Tables;
using Serverless.Cases.Storage;

namespace Serverless.Cases.Activity;

/// <summary>When a case last saw each kind of activity.</summary>
public sealed record CaseActivitySummary(DateTimeOffset? LastActivityAt, IReadOnlyDictionary<CaseActivityKind, DateTimeOffset> LastByKind);

/// <summary>
/// Frequent activity (reports, comments, files) is recorded in the case partition's <c>activity</c> row,
/// never in the <c>current</c> row: a report arriving must not change the record's ETag and make a
/// coordinator's edit fail with 412. Merge-upserts of timestamps only: many agencies may report at once
/// and none of them can fail the others, and replaying one (a queue retry) changes nothing.
/// </summary>
public sealed class CaseActivityLog(CaseStore store, TimeProvider clock)
{
    public Task RecordAsync(string caseId, CaseActivityKind kind, CancellationToken cancellationToken)
        => RecordAsync(caseId, kind, clock.GetUtcNow(), cancellationToken);

    /// <param name="at">When the activity happened (an entry's received time, so a queue retry records the same time).</param>
    public async Task RecordAsync(string caseId, CaseActivityKind kind, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var now = at;
        var row = new TableEntity(caseId, CaseEntity.ActivityRow)
        {
            ["SchemaVersion"] = 1,
            ["LastActivityAt"] = now,
            ["Last" + kind + "At"] = now,
        };
        await store.Table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<CaseActivitySummary> GetAsync(string caseId, CancellationToken cancellationToken)
    {
        var row = await store.Table.GetEntityIfExistsAsync<TableEntity>(caseId, CaseEntity.ActivityRow, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return new CaseActivitySummary(null, new Dictionary<CaseActivityKind, DateTimeOffset>());
        }

        var byKind = Enum.GetValues<CaseActivityKind>()
            .Select(kind => (kind, at: row.Value!.GetDateTimeOffset("Last" + kind + "At")))
            .Where(pair => pair.at is not null)
            .ToDictionary(pair => pair.kind, pair => pair.at!.Value);
        return new CaseActivitySummary(row.Value!.GetDateTimeOffset("LastActivityAt"), byKind);
    }
}
