using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Cases.Storage;
using Serverless.Time;

namespace Serverless.Cases.Disposal;

/// <summary>One approved disposal as the plan sees it: who proposed and approved it, under which rule, what would
/// go, and, when it cannot run now, why (<see cref="DisposalRefusals"/>: held, not closed, too recent).</summary>
public sealed record DisposalPlanEntry(string CaseId, string ProposedBy, string ApprovedBy, string RuleReference, string? Blocked, IReadOnlyList<ErasureCount> Counts);

/// <summary>What one disposal run did to one case.</summary>
public sealed record DisposalRunEntry(string CaseId, string? Blocked, DateTimeOffset? DisposedAt, IReadOnlyList<ErasureCount> Deleted);

/// <summary>
/// Carries out approved disposals, for the ops tool (there is no scheduled purge): the plan lists exactly what
/// would go and changes nothing; the run re-checks each disposal (still approved, not held, still closed long
/// enough), records the intent in the audit trail, erases the case, writes the register line, marks the
/// disposal disposed and records the outcome. A run stopped halfway leaves the disposal approved, so the next
/// run repeats the (idempotent) erasure and finishes it.
/// </summary>
public sealed class DisposalRunner(
    Disposals disposals,
    LegalHolds holds,
    CaseStore store,
    CaseEraser eraser,
    IOptions<DisposalOptions> options,
    IAuditTrail audit,
    TimeProvider clock,
    ILogger<DisposalRunner> logger)
{
    public const string ActorId = "ops-disposal";

    private static readonly AuditActor Actor = new(AuditActorKind.System, ActorId, null, null);

    public async Task<IReadOnlyList<DisposalPlanEntry>> PlanAsync(CancellationToken cancellationToken)
    {
        var plan = new List<DisposalPlanEntry>();
        foreach (var disposal in await disposals.InStateAsync(DisposalState.Approved, cancellationToken))
        {
            plan.Add(new DisposalPlanEntry(disposal.CaseId, disposal.ProposedBy, disposal.ApprovedBy!, disposal.RuleReference, await BlockedAsync(disposal.CaseId, cancellationToken), await eraser.PlanAsync(disposal.CaseId, cancellationToken)));
        }

        return plan;
    }

    public async Task<IReadOnlyList<DisposalRunEntry>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<DisposalRunEntry>();
        foreach (var listed in await disposals.InStateAsync(DisposalState.Approved, cancellationToken))
        {
            // Read again right before deleting: a coordinator may have withdrawn it while earlier cases ran.
            if ((await disposals.FindAsync(listed.CaseId, cancellationToken))?.Disposal is not { State: DisposalState.Approved } disposal)
            {
                continue;
            }

            if (await BlockedAsync(disposal.CaseId, cancellationToken) is { } blocked)
            {
                logger.LogWarning("Disposal of case {CaseId} not run: {Blocked}", disposal.CaseId, blocked);
                results.Add(new DisposalRunEntry(disposal.CaseId, blocked, null, []));
                continue;
            }

            var disposedAt = clock.GetUtcNow();
            var deleted = await AuditedAsync(AuditActions.OpsDisposalRun, disposal.CaseId, async () =>
            {
                var counts = await eraser.EraseAsync(disposal.CaseId, cancellationToken);
                await disposals.RegisterAsync(new DisposalRegisterEntry(disposal.CaseId, disposedAt, disposal.ProposedBy, disposal.ApprovedBy!, disposal.RuleReference), cancellationToken);
                await MarkDisposedAsync(disposal.CaseId, disposedAt, cancellationToken);
                return counts;
            }, cancellationToken);
            logger.LogWarning("Case {CaseId} disposed of", disposal.CaseId);
            results.Add(new DisposalRunEntry(disposal.CaseId, null, disposedAt, deleted));
        }

        return results;
    }

    /// <summary>
    /// Erases again every case in <paramref name="register"/> (after a restore: a backup may predate the disposal) and
    /// writes the register lines into this instance. Same erasure as the run; audited as <c>ops.disposal.reapply</c>.
    /// </summary>
    public async Task<int> ReapplyAsync(IEnumerable<DisposalRegisterEntry> register, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var entry in register.DistinctBy(entry => entry.CaseId, StringComparer.Ordinal))
        {
            await AuditedAsync(AuditActions.OpsDisposalReapply, entry.CaseId, async () =>
            {
                var counts = await eraser.EraseAsync(entry.CaseId, cancellationToken);
                await disposals.RegisterAsync(entry, cancellationToken);
                await MarkDisposedAsync(entry.CaseId, entry.DisposedAt, cancellationToken);
                return counts;
            }, cancellationToken);
            count++;
        }

        return count;
    }

    /// <summary>Why the disposal cannot run now, or null. A case whose <c>current</c> row is already gone was
    /// erased by an interrupted run: the approval stands and the run finishes it.</summary>
    private async Task<string?> BlockedAsync(string caseId, CancellationToken cancellationToken)
    {
        if (await holds.InForceAsync(caseId, cancellationToken) is not null)
        {
            return DisposalRefusals.Held;
        }

        var stored = await store.GetAsync(caseId, cancellationToken);
        return stored is not null && DisposalRules.Refusal(stored.Record, options.Value.MinimumYearsAfterClosure, JapanTime.Today(clock)) is { } refusal ? refusal.Reason : null;
    }

    private async Task MarkDisposedAsync(string caseId, DateTimeOffset disposedAt, CancellationToken cancellationToken)
    {
        var found = await disposals.FindAsync(caseId, cancellationToken);
        if (found is { } existing)
        {
            if (existing.Disposal.State != DisposalState.Disposed)
            {
                await disposals.SaveAsync(existing.Disposal with { State = DisposalState.Disposed, DisposedAt = disposedAt }, existing.ETag, cancellationToken);
            }
        }
    }

    /// <summary>The intent before anything is deleted (no intent, no deletion), the outcome after; a failure is
    /// recorded as such before it propagates, so the trail never keeps an intent without its outcome.</summary>
    private async Task<IReadOnlyList<ErasureCount>> AuditedAsync(string action, string caseId, Func<Task<IReadOnlyList<ErasureCount>>> work, CancellationToken cancellationToken)
    {
        var intent = await audit.BeginAsync(Actor, NewRequest(), action, caseId, null, breakGlass: false, cancellationToken);
        IReadOnlyList<ErasureCount> counts;
        try
        {
            counts = await work();
        }
        catch (Exception)
        {
            await audit.CompleteAsync(intent, Actor, AuditOutcome.Failed, [], breakGlass: false, CancellationToken.None);
            throw;
        }

        await audit.CompleteAsync(intent, Actor, AuditOutcome.Succeeded, [], breakGlass: false, cancellationToken);
        return counts;
    }

    private static AuditRequest NewRequest() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), null);
}
