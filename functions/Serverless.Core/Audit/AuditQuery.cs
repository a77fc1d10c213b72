using System.Globalization;
using Azure.Data.Tables;
using Serverless.Cases;
using Serverless.Storage;
using Serverless.Validation;

namespace Serverless.Audit;

/// <summary>
/// Reads the audit trail. By case: the sealed entries from one partition of <c>AuditByCase</c> (row keys are entry
/// ids), then the entries not sealed yet, from the log itself (the index is written as entries are sealed), oldest
/// first. By actor: the day partitions of <c>AuditLog</c> in the window, one range query filtered on the actor id,
/// oldest first. Pages may hold fewer entries than asked for when storage stops at a partition boundary; follow the token.
/// </summary>
public sealed class AuditQuery(AuditTables tables, AuditSealer sealer)
{
    /// <summary>At most this many unsealed log entries are looked through for one page (a sealer that has stopped
    /// for days leaves a long tail: the page then ends short, with a token to go on).</summary>
    private const int MaxTailScannedPerPage = 20_000;

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
        var position = CheckToken(continuationToken, scope, errors) is { } token ? CasePosition.Parse(token) : null;
        if (continuationToken is not null && position is null && errors.Count == 0)
        {
            errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
        }

        if (errors.Count > 0)
        {
            return new AuditQueryOutcome.Invalid(errors);
        }

        // Fixed for the whole walk, so a seal written between two pages neither repeats nor skips an entry.
        position ??= new CasePosition(InTail: false, (await sealer.LastSealAsync(cancellationToken))?.ToEntryId ?? "", null);
        var records = new List<AuditRecord>(size);
        if (!position.InTail)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey le {position.SealedThrough}");
            var (rows, next) = await PageAsync<AuditByCaseEntity>(tables.ByCase, filter, size, position.Token, cancellationToken);
            records.AddRange(rows.Select(row => new AuditRecord(
                row.RowKey, row.At, row.Kind, row.ActorKind, row.ActorId, row.AgencyId, row.Role, row.Action,
                row.PartitionKey, row.EntryId, row.Outcome, row.BreakGlass, row.RequestId, ClientAddress: null, Entries(row.EntriesTouched), TargetOf(row))));
            if (next is not null)
            {
                return Page(records, scope, position with { Token = next });
            }
        }

        var (tail, resumeAfter) = await TailAsync(caseId, position.InTail ? position.Token! : position.SealedThrough, size - records.Count, cancellationToken);
        records.AddRange(tail);
        return Page(records, scope, resumeAfter is null ? null : new CasePosition(InTail: true, position.SealedThrough, resumeAfter));
    }

    /// <summary>Log entries after <paramref name="after"/> that concern the case; the id to resume after when the page filled or the scan reached its limit.</summary>
    private async Task<(List<AuditRecord> Records, string? ResumeAfter)> TailAsync(string caseId, string after, int wanted, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        var scanned = 0;
        string? last = null;
        await foreach (var entry in tables.ReadEntriesAsync(after.Length == 0 ? null : after, null, null, null, cancellationToken))
        {
            if (records.Count >= wanted || scanned >= MaxTailScannedPerPage)
            {
                return (records, last);
            }

            scanned++;
            last = entry.RowKey;
            if (entry.GetString(nameof(AuditEntryEntity.Kind)) is not (AuditEntryKinds.Outcome or AuditEntryKinds.Event) || !AuditIndexer.CasesOf(entry).Contains(caseId, StringComparer.Ordinal))
            {
                continue;
            }

            var row = AuditIndexer.IndexRow(caseId, entry);
            records.Add(new AuditRecord(
                row.RowKey, row.At, row.Kind, row.ActorKind, row.ActorId, row.AgencyId, row.Role, row.Action,
                caseId, row.EntryId, row.Outcome, row.BreakGlass, row.RequestId, ClientAddress: null, Entries(row.EntriesTouched), TargetOf(row)));
        }

        return (records, null);
    }

    private static AuditQueryOutcome.Done Page(List<AuditRecord> records, string scope, CasePosition? next)
        => new(new AuditPage(records, next is null ? null : ContinuationTokens.Encode(scope, next.ToString())));

    /// <summary>Where a by-case walk stands: in the index (up to the last entry sealed when it began) or in the log's unsealed tail.</summary>
    private sealed record CasePosition(bool InTail, string SealedThrough, string? Token)
    {
        public override string ToString() => System.Text.Json.JsonSerializer.Serialize(new[] { InTail ? "tail" : "index", SealedThrough, Token });

        public static CasePosition? Parse(string text)
        {
            try
            {
                return System.Text.Json.JsonSerializer.Deserialize<string?[]>(text) is [var phase, { } sealedThrough, var token] && phase is "tail" or "index" && (phase == "index" || token is not null)
                    ? new CasePosition(phase == "tail", sealedThrough, token)
                    : null;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
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
            row.CaseId, row.EntryId, row.Outcome, row.BreakGlass, row.RequestId, row.ClientAddress, Entries(row.EntriesTouched), TargetOf(row))).ToList();
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

    private static AuditTarget? TargetOf(AuditEntryEntity row)
        => new AuditTarget(row.TargetPersonId, row.TargetMembershipId, row.TargetRole, row.TargetAgencyId, row.TargetKeyId, row.TargetMeetingId, row.TargetCopyNumber, row.TargetMunicipalityCode, row.TargetMessageId, row.TargetFileHashes?.Split(',')) is { IsEmpty: false } target ? target : null;

    /// <summary>The transfer part of an index row's target (the only target fields the index copies).</summary>
    private static AuditTarget? TargetOf(AuditByCaseEntity row)
        => new AuditTarget(MunicipalityCode: row.TargetMunicipalityCode, MessageId: row.TargetMessageId, FileHashes: row.TargetFileHashes?.Split(',')) is { IsEmpty: false } target ? target : null;

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
