using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Cases.Storage;
using Serverless.Queues;
using Serverless.Referrals;
using Serverless.Time;

namespace Serverless.Cases.Disposal;

/// <summary>One approved disposal as the plan sees it: who proposed and approved it, under which rule, what would
/// go, and, when it cannot run now, why (<see cref="DisposalRefusals"/>: held, not closed, too recent).
/// <see cref="RunAfter"/> is when the app runs it (null for an approval made before the app ran disposals).</summary>
public sealed record DisposalPlanEntry(string CaseId, string ProposedBy, string ApprovedBy, string RuleReference, string? Blocked, IReadOnlyList<ErasureCount> Counts, DateTimeOffset? RunAfter = null);

/// <summary>What one disposal run did to one case.</summary>
public sealed record DisposalRunEntry(string CaseId, string? Blocked, DateTimeOffset? DisposedAt, IReadOnlyList<ErasureCount> Deleted);

/// <summary>
/// Carries out approved disposals: the app, one case per queue message after <c>Disposal:ExecutionDelay</c>
/// (<see cref="RunQueuedAsync"/>), and the ops tool, every approved one at once (there is no scheduled purge of
/// anything two coordinators did not approve). The plan lists exactly what would go and changes nothing; a run
/// re-checks each disposal (still approved, not held, still closed long enough), records the intent in the audit
/// trail, erases the case, writes the register line, marks the disposal disposed and records the outcome. A run
/// stopped halfway leaves the disposal approved, so the next run (or the message's retry) repeats the
/// (idempotent) erasure and finishes it.
/// </summary>
public sealed class DisposalRunner(
    Disposals disposals,
    LegalHolds holds,
    CaseStore store,
    ReferralStore referrals,
    CaseEraser eraser,
    DisposalQueue queue,
    DisposalRegisterCopy registerCopy,
    IOptions<DisposalOptions> options,
    IAuditTrail audit,
    AuditQuery auditQuery,
    TimeProvider clock,
    ILogger<DisposalRunner> logger)
{
    /// <summary>The actor of <c>serverless-ops disposal run</c> and <c>reapply</c>.</summary>
    public const string ActorId = "ops-disposal";

    /// <summary>The actor of the app's own run (the DisposalRun queue function).</summary>
    public const string AppActorId = "app-disposal";

    private static readonly AuditActor Actor = new(AuditActorKind.System, ActorId, null, null);

    private static readonly AuditActor AppActor = new(AuditActorKind.System, AppActorId, null, null);

    public async Task<IReadOnlyList<DisposalPlanEntry>> PlanAsync(CancellationToken cancellationToken)
    {
        var plan = new List<DisposalPlanEntry>();
        foreach (var disposal in await disposals.InStateAsync(DisposalState.Approved, cancellationToken))
        {
            plan.Add(new DisposalPlanEntry(disposal.CaseId, disposal.ProposedBy, disposal.ApprovedBy!, disposal.RuleReference, await BlockedAsync(disposal.CaseId, cancellationToken), await eraser.PlanAsync(disposal.CaseId, cancellationToken), disposal.RunAfter));
        }

        return plan;
    }

    public async Task<IReadOnlyList<DisposalRunEntry>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<DisposalRunEntry>();
        foreach (var listed in await disposals.InStateAsync(DisposalState.Approved, cancellationToken))
        {
            if (await RunOneAsync(listed.CaseId, Actor, cancellationToken) is { } result)
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>
    /// The app's run of one disposal, from a <c>disposals</c> queue message. Idempotent: a disposal withdrawn, never
    /// approved or already disposed of changes nothing (an already disposed one only gets its register copy, in
    /// case an earlier attempt stopped before it); a held case, or one no longer closed long enough, is not
    /// disposed of and stays approved (logged, as the ops run does). A message that comes before the cooling-off
    /// period is over (a replayed dead letter, another clock) is sent again for the rest of it. Any failure throws,
    /// so the host retries and, after <c>maxDequeueCount</c>, the message becomes a dead letter ops can replay.
    /// </summary>
    /// <summary>
    /// Sends the case id of every approved disposal whose cooling-off period is over once more (the DisposalCatchUp
    /// timer, daily). Its message may be gone: a restore brings back no queue messages, a run refused because the case
    /// was held (or reopened) is not retried by itself, and an approval may stand without its message when neither the
    /// send nor its undo worked. The run re-checks everything, so an extra message is harmless.
    /// </summary>
    /// <returns>How many were sent.</returns>
    public async Task<int> RequeueOverdueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var sent = 0;
        foreach (var disposal in await disposals.InStateAsync(DisposalState.Approved, cancellationToken))
        {
            var runAfter = disposal.RunAfter ?? (disposal.ApprovedAt ?? now) + options.Value.ExecutionDelay;
            if (runAfter <= now)
            {
                await queue.SendAsync(disposal.CaseId, TimeSpan.Zero, cancellationToken);
                sent++;
            }
        }

        if (sent > 0)
        {
            logger.LogInformation("Disposal catch-up: {Count} approved disposal(s) past their cooling-off period sent to the run again", sent);
        }

        return sent;
    }

    public async Task RunQueuedAsync(string messageText, CancellationToken cancellationToken)
    {
        var caseId = DisposalQueue.ReadCaseId(messageText);
        if ((await disposals.FindAsync(caseId, cancellationToken))?.Disposal is not { } disposal)
        {
            logger.LogInformation("Disposal run for case {CaseId}: no disposal; nothing to do", caseId);
            return;
        }

        if (disposal.State == DisposalState.Disposed)
        {
            await AuditKilledRunAsync(caseId, cancellationToken);
            await CopyRegisterAsync(caseId, cancellationToken);
            return;
        }

        if (disposal.State != DisposalState.Approved)
        {
            logger.LogInformation("Disposal run for case {CaseId}: {State}; nothing to do", caseId, disposal.State);
            return;
        }

        var due = disposal.RunAfter ?? disposal.ApprovedAt!.Value + options.Value.ExecutionDelay;
        var wait = due - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await queue.SendAsync(caseId, wait < WorkQueue.MaxVisibilityDelay ? wait : WorkQueue.MaxVisibilityDelay, cancellationToken);
            logger.LogInformation("Disposal run for case {CaseId} came {Wait} before its time; sent again", caseId, wait);
            return;
        }

        if (await RunOneAsync(caseId, AppActor, cancellationToken) is { Blocked: null })
        {
            await CopyRegisterAsync(caseId, cancellationToken);
        }
    }

    /// <summary>One case, re-read right before deleting (a coordinator may have withdrawn it meanwhile); null when it
    /// is no longer approved.</summary>
    private async Task<DisposalRunEntry?> RunOneAsync(string caseId, AuditActor actor, CancellationToken cancellationToken)
    {
        if ((await disposals.FindAsync(caseId, cancellationToken))?.Disposal is not { State: DisposalState.Approved } disposal)
        {
            return null;
        }

        if (await BlockedAsync(disposal.CaseId, cancellationToken) is { } blocked)
        {
            logger.LogWarning("Disposal of case {CaseId} not run: {Blocked}", disposal.CaseId, blocked);
            return new DisposalRunEntry(disposal.CaseId, blocked, null, []);
        }

        var disposedAt = clock.GetUtcNow();
        var deleted = await AuditedAsync(actor, AuditActions.OpsDisposalRun, disposal.CaseId, async () =>
        {
            var counts = await eraser.EraseAsync(disposal.CaseId, cancellationToken);
            await disposals.RegisterAsync(new DisposalRegisterEntry(disposal.CaseId, disposedAt, disposal.ProposedBy, disposal.ApprovedBy!, disposal.RuleReference), cancellationToken);
            await MarkDisposedAsync(disposal.CaseId, disposedAt, cancellationToken);
            return counts;
        }, cancellationToken);
        logger.LogWarning("Case {CaseId} disposed of by {ActorId}", disposal.CaseId, actor.Id);
        return new DisposalRunEntry(disposal.CaseId, null, disposedAt, deleted);
    }

    /// <summary>
    /// A delivery killed after the disposed mark and before its outcome left the run's intent open and no succeeded run in
    /// the case's audit (the crash loop found it): this retry records one, as the app's own act. Read only on a repeated
    /// message of a disposed case, which is rare.
    /// </summary>
    private async Task AuditKilledRunAsync(string caseId, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            if (await auditQuery.ByCaseAsync(caseId, 100, token, cancellationToken) is not AuditQueryOutcome.Done done)
            {
                return;
            }

            if (done.Page.Entries.Any(entry => entry.Action is AuditActions.OpsDisposalRun or AuditActions.OpsDisposalReapply && entry.Outcome == nameof(AuditOutcome.Succeeded)))
            {
                return;
            }

            token = done.Page.ContinuationToken;
        }
        while (token is not null);

        await audit.RecordAsync(AppActor, NewRequest(), AuditActions.OpsDisposalRun, caseId, AuditOutcome.Succeeded, cancellationToken);
        logger.LogWarning("Disposal of case {CaseId}: its run was interrupted before its outcome; recorded as succeeded now", caseId);
    }

    /// <summary>The register line into the backup container, when the app has one (<see cref="DisposalRegisterCopy"/>).</summary>
    private async Task CopyRegisterAsync(string caseId, CancellationToken cancellationToken)
    {
        if (registerCopy.Configured && await disposals.RegisterEntryAsync(caseId, cancellationToken) is { } entry)
        {
            await registerCopy.WriteAsync(entry, cancellationToken);
            logger.LogInformation("Disposal register of case {CaseId} copied to the backup container", caseId);
        }
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
            await AuditedAsync(Actor, AuditActions.OpsDisposalReapply, entry.CaseId, async () =>
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

    /// <summary>Why the disposal cannot run now, or null. A case whose <c>current</c> row is already gone (or a referral whose
    /// head is) was erased by an interrupted run: the approval stands and the run finishes it.</summary>
    private async Task<string?> BlockedAsync(string caseId, CancellationToken cancellationToken)
    {
        if (await holds.InForceAsync(caseId, cancellationToken) is not null)
        {
            return DisposalRefusals.Held;
        }

        if (ReferralIds.IsValid(caseId))
        {
            var referral = await referrals.GetAsync(caseId, cancellationToken);
            return referral is not null && ReferralRetention.Refusal(referral, JapanTime.Today(clock)) is { } kept ? kept.Reason : null;
        }

        var stored = await store.GetAsync(caseId, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var closedAt = await store.ClosedAtAsync(caseId, cancellationToken);
        return DisposalRules.Refusal(stored.Record, closedAt, options.Value.MinimumYearsAfterClosure, JapanTime.Today(clock)) is { } refusal ? refusal.Reason : null;
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
    /// recorded as such before it propagates, so the trail never keeps an intent without its outcome. A referral is
    /// recorded as the referral endpoints record it: as the entry touched, not as a case.</summary>
    private async Task<IReadOnlyList<ErasureCount>> AuditedAsync(AuditActor actor, string action, string id, Func<Task<IReadOnlyList<ErasureCount>>> work, CancellationToken cancellationToken)
    {
        var referral = ReferralIds.IsValid(id);
        IReadOnlyCollection<string>? entries = referral ? [id] : null;
        var intent = await audit.BeginAsync(actor, NewRequest(), action, referral ? null : id, referral ? id : null, breakGlass: false, cancellationToken);
        IReadOnlyList<ErasureCount> counts;
        try
        {
            counts = await work();
        }
        catch (Exception)
        {
            await audit.CompleteAsync(intent, actor, AuditOutcome.Failed, [], breakGlass: false, CancellationToken.None, entries);
            throw;
        }

        await audit.CompleteAsync(intent, actor, AuditOutcome.Succeeded, [], breakGlass: false, cancellationToken, entries);
        return counts;
    }

    private static AuditRequest NewRequest() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), null);
}
