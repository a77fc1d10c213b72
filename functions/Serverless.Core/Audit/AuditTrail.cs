using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Serverless.Audit;

/// <summary>
/// Writes the audit trail to <c>AuditLog</c> (append only: every write is an insert). Costs: one insert each for
/// <see cref="BeginAsync"/>, <see cref="CompleteAsync"/> and <see cref="RecordAsync"/>, however many cases or
/// entries an answer carried (they are listed on the entry; the <c>AuditByCase</c> index is written from them when
/// the entry is sealed, by <see cref="AuditIndexer"/>). Nothing is ever read, so auditing adds no read latency.
/// </summary>
public sealed class AuditTrail(AuditTables tables, TimeProvider clock, ILogger<AuditTrail> logger) : IAuditTrail
{
    public async Task<AuditIntent> BeginAsync(AuditActor actor, AuditRequest request, string action, string? caseId, string? entryId, bool breakGlass, CancellationToken cancellationToken, AuditTarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var at = clock.GetUtcNow();
        var rejected = new List<string>();
        var entity = new AuditEntryEntity
        {
            Kind = AuditEntryKinds.Intent,
            At = at,
            Action = AuditFieldFilter.Action(action),
            CaseId = AuditFieldFilter.CaseId(caseId, nameof(AuditEntryEntity.CaseId), rejected),
            EntryId = AuditFieldFilter.OpaqueId(entryId, nameof(AuditEntryEntity.EntryId), rejected),
            BreakGlass = breakGlass,
        };
        SetActor(entity, actor, rejected);
        SetRequest(entity, request, rejected);
        AuditFieldFilter.Target(target, entity, rejected);
        entity.RejectedFields = Rejected(rejected);

        try
        {
            await AddAsync(entity, at, cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            // The caller must not go on: an action that cannot be audited does not happen.
            logger.LogError(ex, "Audit intent for action {Action} (request {RequestId}) could not be written", entity.Action, entity.RequestId);
            throw new AuditUnavailableException("The audit trail could not be written; the action was not carried out.", ex);
        }

        return new AuditIntent(entity.RowKey, actor, request, entity.Action, entity.CaseId, entity.EntryId, at);
    }

    public async Task CompleteAsync(AuditIntent intent, AuditActor actor, AuditOutcome outcome, IReadOnlyCollection<string> casesTouched, bool breakGlass, CancellationToken cancellationToken, IReadOnlyCollection<string>? entriesTouched = null, AuditTarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(actor);
        var at = clock.GetUtcNow();
        var rejected = new List<string>();
        var touched = (casesTouched ?? [])
            .Select(id => AuditFieldFilter.CaseId(id, nameof(AuditEntryEntity.CasesTouched), rejected))
            .OfType<string>()
            .Where(id => id != intent.CaseId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var entries = (entriesTouched ?? [])
            .Select(id => AuditFieldFilter.OpaqueId(id, nameof(AuditEntryEntity.EntriesTouched), rejected))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var entity = new AuditEntryEntity
        {
            Kind = AuditEntryKinds.Outcome,
            IntentId = AuditFieldFilter.OpaqueId(intent.EntryId, nameof(AuditEntryEntity.IntentId), rejected),
            At = at,
            Action = AuditFieldFilter.Action(intent.Action),
            // Filtered when the intent was written, and again here: an AuditIntent can also be made by hand.
            CaseId = AuditFieldFilter.CaseId(intent.CaseId, nameof(AuditEntryEntity.CaseId), rejected),
            EntryId = AuditFieldFilter.OpaqueId(intent.EntryInCase, nameof(AuditEntryEntity.EntryId), rejected),
            Outcome = outcome.ToString(),
            BreakGlass = breakGlass,
            CasesTouched = touched.Count == 0 ? null : string.Join(',', touched),
            EntriesTouched = entries.Count == 0 ? null : string.Join(',', entries),
        };
        SetActor(entity, actor, rejected);
        SetRequest(entity, intent.Request, rejected);
        AuditFieldFilter.Target(target, entity, rejected);
        entity.RejectedFields = Rejected(rejected.Distinct(StringComparer.Ordinal).ToList());
        await AddAsync(entity, at, cancellationToken);
    }

    public async Task RecordAsync(AuditActor actor, AuditRequest request, string action, string? caseId, AuditOutcome outcome, CancellationToken cancellationToken, AuditTarget? target = null, string? requestedCaseId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var at = clock.GetUtcNow();
        var rejected = new List<string>();
        var entity = new AuditEntryEntity
        {
            Kind = AuditEntryKinds.Event,
            At = at,
            Action = AuditFieldFilter.Action(action),
            CaseId = AuditFieldFilter.CaseId(caseId, nameof(AuditEntryEntity.CaseId), rejected),
            RequestedCaseId = AuditFieldFilter.CaseId(requestedCaseId, nameof(AuditEntryEntity.RequestedCaseId), rejected),
            Outcome = outcome.ToString(),
        };
        SetActor(entity, actor, rejected);
        SetRequest(entity, request, rejected);
        AuditFieldFilter.Target(target, entity, rejected);
        entity.RejectedFields = Rejected(rejected);
        try
        {
            await AddAsync(entity, at, cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            // A refusal that cannot be recorded is still refused; the caller answers that storage is down.
            logger.LogError(ex, "Audit event for action {Action} (request {RequestId}) could not be written", entity.Action, entity.RequestId);
            throw new AuditUnavailableException("The audit trail could not be written.", ex);
        }
    }

    /// <summary>The cases an outcome or event is indexed under: its own, then every case the answer carried.</summary>
    public static IReadOnlyList<string> CasesOf(string? caseId, string? casesTouched)
        => new[] { caseId }
            .Concat((casesTouched ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private async Task AddAsync(AuditEntryEntity entity, DateTimeOffset at, CancellationToken cancellationToken)
    {
        entity.PartitionKey = AuditEntryIds.Day(at);
        entity.RowKey = AuditEntryIds.New(at);
        await tables.Log.AddEntityAsync(entity, cancellationToken);
    }

    private static void SetActor(AuditEntryEntity entity, AuditActor actor, List<string> rejected)
    {
        entity.ActorKind = actor.Kind.ToString();
        entity.ActorId = AuditFieldFilter.OpaqueId(actor.Id, nameof(AuditEntryEntity.ActorId), rejected);
        entity.AgencyId = AuditFieldFilter.OpaqueId(actor.AgencyId, nameof(AuditEntryEntity.AgencyId), rejected);
        entity.Role = AuditFieldFilter.OpaqueId(actor.Role, nameof(AuditEntryEntity.Role), rejected);
    }

    private static void SetRequest(AuditEntryEntity entity, AuditRequest request, List<string> rejected)
    {
        entity.RequestId = AuditFieldFilter.OpaqueId(request.RequestId, nameof(AuditEntryEntity.RequestId), rejected) ?? "";
        entity.ClientAddress = AuditFieldFilter.Address(request.ClientAddress, nameof(AuditEntryEntity.ClientAddress), rejected);
    }

    private static string? Rejected(List<string> fields) => fields.Count == 0 ? null : string.Join(',', fields);

    private static bool IsStorageFailure(Exception ex)
        => ex is RequestFailedException or HttpRequestException or TimeoutException
            || (ex is AggregateException aggregate && aggregate.InnerExceptions.All(IsStorageFailure));
}
