using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Cases.Disposal;

/// <summary>
/// Disposal (廃棄) of closed cases under the municipality's document rules, and legal holds. One coordinator
/// proposes, another approves (the two-person rule), either side or any coordinator may withdraw before it runs;
/// the app then deletes the case once <c>Disposal:ExecutionDelay</c> has passed (a queue message, see
/// <see cref="DisposalRunner.RunQueuedAsync"/>), or ops' <c>disposal run</c> does it earlier by hand. A case under a legal
/// hold can be neither proposed, approved nor disposed of. Every operation answers a case the caller may not
/// see exactly like a missing one, before any other check.
/// </summary>
public sealed class DisposalService(
    CaseGate gate,
    Disposals disposals,
    LegalHolds holds,
    DisposalQueue queue,
    IOptions<DisposalOptions> options,
    TimeProvider clock,
    ILogger<DisposalService> logger)
{
    public const int MaxReasonLength = 500;
    public const int MaxRuleReferenceLength = 100;

    public async Task<CaseOutcome<DisposalView>> ProposeAsync(Caller caller, string caseId, ProposeDisposalRequest? request, CancellationToken cancellationToken)
    {
        var (stored, refusal) = await VisibleToCoordinatorAsync<DisposalView>(caller, caseId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (request is null)
        {
            return new CaseOutcome<DisposalView>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.reason", request.Reason);
        errors.Text("$.reason", request.Reason, MaxReasonLength, multiline: true);
        errors.Required("$.ruleReference", request.RuleReference);
        errors.Text("$.ruleReference", request.RuleReference, MaxRuleReferenceLength);
        if (errors.Any)
        {
            return new CaseOutcome<DisposalView>.Invalid(errors.All);
        }

        if (await holds.InForceAsync(caseId, cancellationToken) is not null)
        {
            return new CaseOutcome<DisposalView>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.Held);
        }

        if (NotDisposable<DisposalView>(stored!.Record) is { } notDisposable)
        {
            return notDisposable;
        }

        var existing = await disposals.FindAsync(caseId, cancellationToken);
        if (existing is { Disposal.IsOpen: true })
        {
            return new CaseOutcome<DisposalView>.Refused(ProblemCatalogue.DisposalState, DisposalRefusals.AlreadyProposed);
        }

        var proposal = new CaseDisposal(caseId, DisposalState.Proposed, caller.Id, clock.GetUtcNow(), request.Reason!.Trim(), request.RuleReference!.Trim());
        if (!await disposals.SaveAsync(proposal, existing?.ETag, cancellationToken))
        {
            return new CaseOutcome<DisposalView>.Refused(ProblemCatalogue.DisposalState, DisposalRefusals.AlreadyProposed);
        }

        logger.LogWarning("Disposal of case {CaseId} proposed by {CallerId}", caseId, caller.Id);
        return new CaseOutcome<DisposalView>.Done(DisposalView.From(proposal));
    }

    /// <summary>A second coordinator approves: never the proposer.</summary>
    public async Task<CaseOutcome<DisposalView>> ApproveAsync(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var (stored, refusal) = await VisibleToCoordinatorAsync<DisposalView>(caller, caseId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var existing = await disposals.FindAsync(caseId, cancellationToken);
        if (existing is not { } found || found.Disposal.State != DisposalState.Proposed)
        {
            return new CaseOutcome<DisposalView>.Refused(ProblemCatalogue.DisposalState, existing?.Disposal.State == DisposalState.Approved ? DisposalRefusals.AlreadyApproved : DisposalRefusals.NotProposed);
        }

        if (found.Disposal.ProposedBy == caller.Id)
        {
            return new CaseOutcome<DisposalView>.Forbidden(); // two people: nobody approves their own proposal
        }

        if (await holds.InForceAsync(caseId, cancellationToken) is not null)
        {
            return new CaseOutcome<DisposalView>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.Held);
        }

        // The case may have been reopened since the proposal.
        if (NotDisposable<DisposalView>(stored!.Record) is { } notDisposable)
        {
            return notDisposable;
        }

        var now = clock.GetUtcNow();
        var delay = options.Value.ExecutionDelay;
        var approved = found.Disposal with { State = DisposalState.Approved, ApprovedBy = caller.Id, ApprovedAt = now, RunAfter = now + delay };
        if (!await disposals.SaveAsync(approved, found.ETag, cancellationToken))
        {
            return new CaseOutcome<DisposalView>.Refused(ProblemCatalogue.Conflict);
        }

        // Persisted first, then the case id goes to the app's run, hidden for the cooling-off period.
        try
        {
            await queue.SendAsync(caseId, delay, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (await UndoApprovalAsync(approved, ex))
            {
                throw; // 503/500, and true: nothing was accepted; approving again queues the run
            }

            // The approval stands (the undo failed): answer what is stored.
            return new CaseOutcome<DisposalView>.Done(DisposalView.From(approved));
        }

        logger.LogWarning("Disposal of case {CaseId} approved by {CallerId}; the app runs it after {RunAfter}", caseId, caller.Id, approved.RunAfter);
        return new CaseOutcome<DisposalView>.Done(DisposalView.From(approved));
    }

    /// <summary>
    /// The approval was saved but its run could not be queued: it goes back to <c>proposed</c> before the request fails,
    /// so the failure the caller sees is true (nothing was accepted) and approving again queues the run. Should the
    /// undo fail too, the approval stands without a queued run: logged with the case id, and listed by
    /// <c>disposal plan</c> (its time passed, still approved), for <c>disposal run</c> or a withdrawal and a new proposal.
    /// </summary>
    private async Task<bool> UndoApprovalAsync(CaseDisposal approved, Exception sendFailure)
    {
        try
        {
            if (await disposals.FindAsync(approved.CaseId, CancellationToken.None) is { } current
                && current.Disposal.State == DisposalState.Approved && current.Disposal.ApprovedAt == approved.ApprovedAt && current.Disposal.ApprovedBy == approved.ApprovedBy
                && await disposals.SaveAsync(current.Disposal with { State = DisposalState.Proposed, ApprovedBy = null, ApprovedAt = null, RunAfter = null }, current.ETag, CancellationToken.None))
            {
                logger.LogError(sendFailure, "Disposal of case {CaseId}: the run could not be queued; the approval was undone", approved.CaseId);
                return true;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Disposal of case {CaseId}: undoing the approval failed", approved.CaseId);
        }

        logger.LogError(sendFailure, "Disposal of case {CaseId} is approved but its run could not be queued: run it with 'disposal run', or withdraw and propose it again", approved.CaseId);
        return false;
    }

    /// <summary>Any coordinator may stop a disposal that has not run yet: stopping is always the safe side.</summary>
    public async Task<CaseOutcome<DisposalView>> WithdrawAsync(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var (_, refusal) = await VisibleToCoordinatorAsync<DisposalView>(caller, caseId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var existing = await disposals.FindAsync(caseId, cancellationToken);
        if (existing is not { Disposal.IsOpen: true } found)
        {
            return new CaseOutcome<DisposalView>.Refused(ProblemCatalogue.DisposalState, DisposalRefusals.NotProposed);
        }

        var withdrawn = found.Disposal with { State = DisposalState.Withdrawn, WithdrawnBy = caller.Id, WithdrawnAt = clock.GetUtcNow() };
        if (!await disposals.SaveAsync(withdrawn, found.ETag, cancellationToken))
        {
            return new CaseOutcome<DisposalView>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogInformation("Disposal of case {CaseId} withdrawn by {CallerId}", caseId, caller.Id);
        return new CaseOutcome<DisposalView>.Done(DisposalView.From(withdrawn));
    }

    public async Task<CaseOutcome<LegalHoldView>> PlaceHoldAsync(Caller caller, string caseId, LegalHoldRequest? request, CancellationToken cancellationToken)
    {
        var (_, refusal) = await VisibleToCoordinatorAsync<LegalHoldView>(caller, caseId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (request is null)
        {
            return new CaseOutcome<LegalHoldView>.Unreadable();
        }

        if (ReasonErrors(request) is { } invalid)
        {
            return new CaseOutcome<LegalHoldView>.Invalid(invalid);
        }

        var hold = new LegalHold(LegalHolds.CurrentRow, caseId, caller.Id, clock.GetUtcNow(), request.Reason!.Trim());
        if (!await holds.AddAsync(hold, cancellationToken))
        {
            return new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.AlreadyHeld);
        }

        logger.LogWarning("Legal hold placed on case {CaseId} by {CallerId}", caseId, caller.Id);
        return new CaseOutcome<LegalHoldView>.Done(LegalHoldView.From(hold));
    }

    public async Task<CaseOutcome<LegalHoldView>> ReleaseHoldAsync(Caller caller, string caseId, LegalHoldRequest? request, CancellationToken cancellationToken)
    {
        var (_, refusal) = await VisibleToCoordinatorAsync<LegalHoldView>(caller, caseId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (request is null)
        {
            return new CaseOutcome<LegalHoldView>.Unreadable();
        }

        if (ReasonErrors(request) is { } invalid)
        {
            return new CaseOutcome<LegalHoldView>.Invalid(invalid);
        }

        var held = await holds.InForceAsync(caseId, cancellationToken);
        if (held is not { } found)
        {
            return new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.NotHeld);
        }

        var released = found.Hold with { ReleasedBy = caller.Id, ReleasedAt = clock.GetUtcNow(), ReleaseReason = request.Reason!.Trim() };
        if (!await holds.ReleaseAsync(released, found.ETag, cancellationToken))
        {
            return new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogWarning("Legal hold on case {CaseId} released by {CallerId}", caseId, caller.Id);
        return new CaseOutcome<LegalHoldView>.Done(LegalHoldView.From(released));
    }

    /// <summary>Why the case may not be disposed of now (not closed, or closed too recently), or null when it may.</summary>
    public CaseOutcome<T>? NotDisposable<T>(CaseRecord record)
        => DisposalRules.Refusal(record, options.Value.MinimumYearsAfterClosure, JapanTime.Today(clock)) is { } refusal
            ? new CaseOutcome<T>.Refused(ProblemCatalogue.NotDisposable, refusal.Reason, refusal.Arguments)
            : null;

    /// <summary>Visibility first (404 exactly as for a missing case), then the role (403).</summary>
    private async Task<(StoredCaseRef? Case, CaseOutcome<T>? Refusal)> VisibleToCoordinatorAsync<T>(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        return gated is CaseOutcome<OpenCase>.Done { Value: var open }
            ? (new StoredCaseRef(open.Record), null)
            : (null, gated.As<T>());
    }

    private static IReadOnlyList<ValidationError>? ReasonErrors(LegalHoldRequest request)
    {
        var errors = new ValidationErrors();
        errors.Required("$.reason", request.Reason);
        errors.Text("$.reason", request.Reason, MaxReasonLength, multiline: true);
        return errors.Any ? errors.All : null;
    }

    private sealed record StoredCaseRef(CaseRecord Record);
}
