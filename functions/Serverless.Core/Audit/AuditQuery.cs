using System.Globalization;
using Azure.Data.Tables;
using Serverless.Cases;
using Serverless.Storage;
using Serverless.Validation;

namespace Serverless.Audit;

/// <summary>
/// Reads the audit trail. By case: one partition of <c>AuditByCase</c>, oldest first (row keys are entry
/// ids). By actor: the day partitions of <c>AuditLog</c> in the window, one range query filtered on the
/// actor id, oldest first. Pages may hold fewer entries than asked for when storage stops at a partition
/// boundary; follow the token.
/// </summary>
public sealed class AuditQuery(AuditTables tables)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;
    public const int MaxWindowDays = 31;

    /// <summary>One page reads at most this many storage pages (a 31-day window crosses up to 32 partitions).</summary>
    private const int MaxStoragePagesPerPage = 40;

    public async Task<AuditQueryOutcome> ByCaseAsync(string caseId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (!CaseIds.IsValid(caseId))
        {
            errors.Add(new ValidationError("$.caseId", FieldRules.InvalidId));
        }

        var size = CheckPageSize(pageSize, errors);
        var scope = "audit-case-" + caseId;
        var storageToken = CheckToken(continuationToken, scope, errors);
        if (errors.Count > 0)
        {
            return new AuditQueryOutcome.Invalid(errors);
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId}");
        var (rows, next) = await PageAsync<AuditByCaseEntity>(tables.ByCase, filter, size, storageToken, cancellationToken);
        var records = rows.Select(row => new AuditRecord(
            row.RowKey, row.At, row.Kind, row.ActorKind, row.ActorId, row.AgencyId, row.Role, row.Action,
            row.PartitionKey, row.EntryId, row.Outcome, row.BreakGlass, row.RequestId, ClientAddress: null, Entries(row.EntriesTouched))).ToList();
        return new AuditQueryOutcome.Done(new AuditPage(records, next is null ? null : ContinuationTokens.Encode(scope, next)));
    }

    /// <param name="fromUtc">Inclusive.</param>
    /// <param name="toUtc">Exclusive; at most <see cref="MaxWindowDays"/> days after <paramref name="fromUtc"/>.</param>
    public async Task<AuditQueryOutcome> ByActorAsync(string actorId, DateTimeOffset fromUtc, DateTimeOffset toUtc, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(actorId))
        {
            errors.Add(new ValidationError("$.actorId", FieldRules.Required));
        }
        else if (AuditFieldFilter.OpaqueId(actorId, "actorId", []) is null)
        {
            errors.Add(new ValidationError("$.actorId", FieldRules.InvalidId));
        }

        if (toUtc <= fromUtc)
        {
            errors.Add(new ValidationError("$.to", FieldRules.DateOrder));
        }
        else if (toUtc - fromUtc > TimeSpan.FromDays(MaxWindowDays))
        {
            errors.Add(new ValidationError("$.to", FieldRules.OutOfRange, Range(1, MaxWindowDays)));
        }

        var size = CheckPageSize(pageSize, errors);
        var scope = string.Create(CultureInfo.InvariantCulture, $"audit-actor-{actorId}-{fromUtc.UtcTicks}-{toUtc.UtcTicks}");
        var storageToken = CheckToken(continuationToken, scope, errors);
        if (errors.Count > 0)
        {
            return new AuditQueryOutcome.Invalid(errors);
        }

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {AuditEntryIds.Day(fromUtc)} and PartitionKey le {AuditEntryIds.Day(toUtc)} and RowKey ge {AuditEntryIds.TicksKey(fromUtc)} and RowKey lt {AuditEntryIds.TicksKey(toUtc)} and ActorId eq {actorId}");
        var (rows, next) = await PageAsync<AuditEntryEntity>(tables.Log, filter, size, storageToken, cancellationToken);
        var records = rows.Select(row => new AuditRecord(
            row.RowKey, row.At, row.Kind, row.ActorKind, row.ActorId, row.AgencyId, row.Role, row.Action,
            row.CaseId, row.EntryId, row.Outcome, row.BreakGlass, row.RequestId, row.ClientAddress, Entries(row.EntriesTouched))).ToList();
        return new AuditQueryOutcome.Done(new AuditPage(records, next is null ? null : ContinuationTokens.Encode(scope, next)));
    }

    /// <summary>Storage pages until the page is full or the query ends: a filtered query may return short (even empty) pages.</summary>
    private static async Task<(List<T> Rows, string? Next)> PageAsync<T>(TableClient table, string filter, int size, string? token, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var rows = new List<T>(size);
        for (var reads = 0; reads < MaxStoragePagesPerPage; reads++)
        {
            var page = await FirstPageAsync(table.QueryAsync<T>(filter, size - rows.Count, cancellationToken: cancellationToken).AsPages(token));
            rows.AddRange(page.Values);
            token = page.ContinuationToken;
            if (token is null || rows.Count >= size)
            {
                break;
            }
        }

        return (rows, token);
    }

    private static async Task<Azure.Page<T>> FirstPageAsync<T>(IAsyncEnumerable<Azure.Page<T>> pages)
    {
        await foreach (var page in pages)
        {
            return page;
        }

        throw new InvalidOperationException("A table query returned no page.");
    }

    private static IReadOnlyList<string>? Entries(string? commaSeparated)
        => commaSeparated is null ? null : commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static int CheckPageSize(int? pageSize, List<ValidationError> errors)
    {
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            errors.Add(new ValidationError("$.pageSize", FieldRules.OutOfRange, Range(1, MaxPageSize)));
        }

        return size;
    }

    private static string? CheckToken(string? continuationToken, string scope, List<ValidationError> errors)
    {
        if (continuationToken is null)
        {
            return null;
        }

        var storageToken = ContinuationTokens.Decode(continuationToken, scope);
        if (storageToken is null)
        {
            errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
        }

        return storageToken;
    }

    private static Dictionary<string, string> Range(int min, int max)
        => new() { ["min"] = min.ToString(CultureInfo.InvariantCulture), ["max"] = max.ToString(CultureInfo.InvariantCulture) };
}
