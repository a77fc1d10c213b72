using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Storage;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Council.Ledger;

/// <summary>
/// The review ledger (進行管理台帳), built on the case list index: its row key is the next review date then the case id,
/// so one range query per partition returns cases overdue first. The coordinators' default (every open case) merges the
/// accepted and registered partitions by row key; an agency's ledger is its own partition. A page reads at most
/// <c>pageSize</c> pointers per partition and one query per case (its record and its activity row), so a page of 50 costs
/// the same at 2,000 cases as at 200. The continuation token is the last row key read, bound to the query.
/// Whether the caller sees a case, and what of it, is decided from the case itself by <see cref="CaseAccess"/>.
/// </summary>
public sealed class LedgerService(CaseIndex index, CaseStore store, TimeProvider clock)
{
    private static readonly CaseStatus[] OpenStatuses = [CaseStatus.Accepted, CaseStatus.Registered];

    public async Task<CaseOutcome<LedgerPage>> PageAsync(Caller caller, LedgerQuery query, CancellationToken cancellationToken)
    {
        if (!caller.MaySeeCases)
        {
            return new CaseOutcome<LedgerPage>.Forbidden();
        }

        var agencyId = query.AgencyId;
        if (caller.Role == CallerRole.Member)
        {
            if (agencyId is not null && agencyId != caller.AgencyId)
            {
                return new CaseOutcome<LedgerPage>.Forbidden();
            }

            agencyId = caller.AgencyId;
        }

        var errors = new List<ValidationError>();
        if (query.PageSize is < 1 or > LedgerQuery.MaxPageSize)
        {
            errors.Add(new ValidationError("$.pageSize", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = LedgerQuery.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }

        IReadOnlyList<CaseStatus> statuses = query.Status is { } status ? [status] : OpenStatuses;
        IReadOnlyList<string> partitions = agencyId is not null
            ? [CaseIndexEntity.AgencyPartition(agencyId)]
            : [.. statuses.Select(CaseIndexEntity.StatusPartition)];
        var scope = $"ledger|{string.Join(',', partitions)}|{string.Join(',', statuses)}|{query.ReviewDueBefore?.DayNumber}";
        string? after = null;
        if (query.ContinuationToken is not null && (after = ContinuationTokens.Decode(query.ContinuationToken, scope)) is null)
        {
            errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
        }

        if (errors.Count > 0)
        {
            return new CaseOutcome<LedgerPage>.Invalid(errors);
        }

        var today = JapanTime.Today(clock);
        var activeOn = caller.Role == CallerRole.Member ? today : (DateOnly?)null; // members never list a case their agency left
        // In a status partition the partition is the status; an agency's partition holds every status, filtered at the table.
        IReadOnlyCollection<CaseStatus> filter = agencyId is not null ? [.. statuses] : [];
        var ranges = await Task.WhenAll(partitions.Select(partition => index.RangeAsync(partition, filter, after, query.ReviewDueBefore, activeOn, query.PageSize, cancellationToken)));

        // Merge by row key. A partition with more rows is only complete up to its last row: nothing past the lowest such
        // row is answered yet (another partition's rows beyond it might sort after rows not yet read).
        var horizon = ranges.Where(range => range.More && range.Rows.Count > 0).Select(range => range.Rows[^1].RowKey).Order(StringComparer.Ordinal).FirstOrDefault();
        var candidates = partitions.Zip(ranges)
            .SelectMany(pair => pair.Second.Rows.Select(row => (Partition: pair.First, Row: row)))
            .Where(pointer => horizon is null || string.CompareOrdinal(pointer.Row.RowKey, horizon) <= 0)
            .OrderBy(pointer => pointer.Row.RowKey, StringComparer.Ordinal)
            .ToList();
        var taken = candidates.Take(query.PageSize).ToList();
        var more = ranges.Any(range => range.More) || candidates.Count > taken.Count;

        // One query per case, side by side: its record and its activity row.
        var found = await Task.WhenAll(taken.Select(pointer => store.GetWithActivityAsync(pointer.Row.CaseId, cancellationToken)));
        var rows = new List<LedgerRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ((partition, pointer), (stored, lastActivity)) in taken.Zip(found))
        {
            // A pointer left by an interrupted change is skipped (GET /api/cases removes it once it is old enough).
            if (stored is null
                || !CaseIndex.Pointers(stored.CaseId, stored.Record).Contains((partition, pointer.RowKey))
                || !statuses.Contains(stored.Record.Status)
                || !CaseAccess.CanSee(caller, stored.Record, today)
                || !seen.Add(stored.CaseId))
            {
                continue;
            }

            rows.Add(Row(caller, stored, lastActivity, today));
        }

        caller.Audit.Touched(rows.Select(row => row.CaseId));
        var next = more && taken.Count > 0 ? ContinuationTokens.Encode(scope, taken[^1].Row.RowKey) : null;
        return new CaseOutcome<LedgerPage>.Done(new LedgerPage(today, rows, next));
    }

    private static LedgerRow Row(Caller caller, StoredCase stored, DateTimeOffset? lastActivity, DateOnly today)
    {
        var record = CaseAccess.ForCaller(caller, stored.Record);
        var overdue = record.NextReviewDate is { } due && due < today ? today.DayNumber - due.DayNumber : 0;
        return new LedgerRow(
            stored.CaseId,
            stored.Version,
            record.Child?.Name ?? record.ExpectantMother?.Mother.Name,
            record.Category,
            record.Status,
            record.RiskLevel,
            record.Urgency,
            record.LeadAgencyId,
            record.KeyAgencyId,
            record.LastReview,
            record.NextReviewDate,
            overdue,
            lastActivity is { } at ? JapanTime.ToJapan(at) : null);
    }
}
