using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Referrals;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Cases.Disposal;

/// <summary>
/// Disposal (廃棄) of closed cases under the municipality's document rules, and legal holds. One coordinator
/// proposes, another approves (the two-person rule), either side or any coordinator may withdraw before it runs;
/// the app then deletes the case once <c>Disposal:ExecutionDelay</c> has passed (a queue message, see
/// <see cref="DisposalRunner.RunQueuedAsync"/>), or ops' <c>disposal run</c> does it earlier by hand. A case under a legal
/// hold can be neither proposed, approved nor disposed of. Every operation answers a case the caller may not
/// see exactly like a missing one, before any other check. A referral closed with no further action has no case to
/// go with: it is disposed of the same way on its own, once its retention is over (<see cref="ReferralRetention"/>).
/// </summary>
public sealed class DisposalService(
    CaseGate gate,
    ReferralReader referrals,
    CaseStore cases,
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
        => Map(await ProposeAsync(caller, caseId, token => CaseSubjectAsync(caller, caseId, token), request, cancellationToken), DisposalView.From);

    /// <summary>A second coordinator approves: never the proposer.</summary>
    public async Task<CaseOutcome<DisposalView>> ApproveAsync(Caller caller, string caseId, CancellationToken cancellationToken)
        => Map(await ApproveAsync(caller, caseId, token => CaseSubjectAsync(caller, caseId, token), cancellationToken), DisposalView.From);

    /// <summary>Any coordinator may stop a disposal that has not run yet: stopping is always the safe side.</summary>
    public async Task<CaseOutcome<DisposalView>> WithdrawAsync(Caller caller, string caseId, CancellationToken cancellationToken)
        => Map(await WithdrawAsync(caller, caseId, token => CaseSubjectAsync(caller, caseId, token), cancellationToken), DisposalView.From);

    /// <summary>A referral closed with no further action, once its retention (<c>Referrals:RetentionYears</c>) is over: the
    /// same two coordinators, cooling-off period and run as a case (one that became part of a case goes with the case).</summary>
    public async Task<CaseOutcome<ReferralDisposalView>> ProposeReferralAsync(Caller caller, string referralId, ProposeDisposalRequest? request, CancellationToken cancellationToken)
        => Map(await ProposeAsync(caller, referralId, token => ReferralSubjectAsync(caller, referralId, token), request, cancellationToken), ReferralDisposalView.From);

    public async Task<CaseOutcome<ReferralDisposalView>> ApproveReferralAsync(Caller caller, string referralId, CancellationToken cancellationToken)
        => Map(await ApproveAsync(caller, referralId, token => ReferralSubjectAsync(caller, referralId, token), cancellationToken), ReferralDisposalView.From);

    public async Task<CaseOutcome<ReferralDisposalView>> WithdrawReferralAsync(Caller caller, string referralId, CancellationToken cancellationToken)
        => Map(await WithdrawAsync(caller, referralId, token => ReferralSubjectAsync(caller, referralId, token), cancellationToken), ReferralDisposalView.From);

    private async Task<CaseOutcome<CaseDisposal>> ProposeAsync(Caller caller, string id, SubjectCheck check, ProposeDisposalRequest? request, CancellationToken cancellationToken)
    {
        var subject = await check(cancellationToken);
        if (subject.Refusal is not null)
        {
            return subject.Refusal;
        }

        if (request is null)
        {
            return new CaseOutcome<CaseDisposal>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.reason", request.Reason);
        errors.Text("$.reason", request.Reason, MaxReasonLength, multiline: true);
        errors.Required("$.ruleReference", request.RuleReference);
        errors.Text("$.ruleReference", request.RuleReference, MaxRuleReferenceLength);
        if (errors.Any)
        {
            return new CaseOutcome<CaseDisposal>.Invalid(errors.All);
        }

        if (await holds.InForceAsync(id, cancellationToken) is not null)
        {
            return new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.Held);
        }

        if (subject.NotDisposable is { } notDisposable)
        {
            return notDisposable;
        }

        var existing = await disposals.FindAsync(id, cancellationToken);
        if (existing is { Disposal.IsOpen: true })
        {
            return new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.DisposalState, DisposalRefusals.AlreadyProposed);
        }

        var proposal = new CaseDisposal(id, DisposalState.Proposed, caller.Id, clock.GetUtcNow(), request.Reason!.Trim(), request.RuleReference!.Trim());
        if (!await disposals.SaveAsync(proposal, existing?.ETag, cancellationToken))
        {
            return new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.DisposalState, DisposalRefusals.AlreadyProposed);
        }

        logger.LogWarning("Disposal of {SubjectId} proposed by {CallerId}", id, caller.Id);
        return new CaseOutcome<CaseDisposal>.Done(proposal);
    }

    private async Task<CaseOutcome<CaseDisposal>> ApproveAsync(Caller caller, string id, SubjectCheck check, CancellationToken cancellationToken)
    {
        var subject = await check(cancellationToken);
        if (subject.Refusal is not null)
        {
            return subject.Refusal;
        }

        var existing = await disposals.FindAsync(id, cancellationToken);
        if (existing is not { } found || found.Disposal.State != DisposalState.Proposed)
        {
            return new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.DisposalState, existing?.Disposal.State == DisposalState.Approved ? DisposalRefusals.AlreadyApproved : DisposalRefusals.NotProposed);
        }

        if (found.Disposal.ProposedBy == caller.Id)
        {
            return new CaseOutcome<CaseDisposal>.Forbidden(); // two people: nobody approves their own proposal
        }

        if (await holds.InForceAsync(id, cancellationToken) is not null)
        {
            return new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.Held);
        }

        // The case may have been reopened since the proposal.
        if (subject.NotDisposable is { } notDisposable)
        {
            return notDisposable;
        }

        var now = clock.GetUtcNow();
        var delay = options.Value.ExecutionDelay;
        var approved = found.Disposal with { State = DisposalState.Approved, ApprovedBy = caller.Id, ApprovedAt = now, RunAfter = now + delay };
        if (!await disposals.SaveAsync(approved, found.ETag, cancellationToken))
        {
            return new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.Conflict);
        }

        // Persisted first, then the id goes to the app's run, hidden for the cooling-off period.
        try
        {
            await queue.SendAsync(id, delay, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (await UndoApprovalAsync(approved, ex))
            {
                throw; // 503/500, and true: nothing was accepted; approving again queues the run
            }

            // The approval stands (the undo failed): answer what is stored.
            return new CaseOutcome<CaseDisposal>.Done(approved);
        }

        logger.LogWarning("Disposal of {SubjectId} approved by {CallerId}; the app runs it after {RunAfter}", id, caller.Id, approved.RunAfter);
        return new CaseOutcome<CaseDisposal>.Done(approved);
    }

    /// <summary>
    /// The approval was saved but its run could not be queued: it goes back to <c>proposed</c> before the request fails,
    /// so the failure the caller sees is true (nothing was accepted) and approving again queues the run. Should the
    /// undo fail too, the approval stands without a queued run: logged with the id, and listed by
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
                logger.LogError(sendFailure, "Disposal of {SubjectId}: the run could not be queued; the approval was undone", approved.CaseId);
                return true;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Disposal of {SubjectId}: undoing the approval failed", approved.CaseId);
        }

        logger.LogError(sendFailure, "Disposal of {SubjectId} is approved but its run could not be queued: run it with 'disposal run', or withdraw and propose it again", approved.CaseId);
        return false;
    }

    private async Task<CaseOutcome<CaseDisposal>> WithdrawAsync(Caller caller, string id, SubjectCheck check, CancellationToken cancellationToken)
    {
        var subject = await check(cancellationToken);
        if (subject.Refusal is not null)
        {
            return subject.Refusal;
        }

        var existing = await disposals.FindAsync(id, cancellationToken);
        if (existing is not { Disposal.IsOpen: true } found)
        {
            return new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.DisposalState, DisposalRefusals.NotProposed);
        }

        var withdrawn = found.Disposal with { State = DisposalState.Withdrawn, WithdrawnBy = caller.Id, WithdrawnAt = clock.GetUtcNow() };
        if (!await disposals.SaveAsync(withdrawn, found.ETag, cancellationToken))
        {
            return new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogInformation("Disposal of {SubjectId} withdrawn by {CallerId}", id, caller.Id);
        return new CaseOutcome<CaseDisposal>.Done(withdrawn);
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

    /// <summary>Proposes releasing the hold, with the reason: the hold stays in force until a different coordinator confirms
    /// (<see cref="ConfirmReleaseAsync"/>) within <see cref="TwoCoordinators.ProposalLifetime"/>. One coordinator alone
    /// could otherwise release a hold and take the case through disposal with an accomplice's approval only.</summary>
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

        if (await holds.InForceAsync(caseId, cancellationToken) is not { } found || found.Hold.ReleasedAt is not null)
        {
            return new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.NotHeld);
        }

        var now = clock.GetUtcNow();
        if (found.Hold.ReleaseProposal is { } open && TwoCoordinators.StillOpen(open.ProposedAt, now))
        {
            return new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.ReleaseAlreadyProposed);
        }

        var proposed = found.Hold with { ReleaseProposal = new ReleaseProposal(caller.Id, now, request.Reason!.Trim()) };
        if (!await holds.ProposeReleaseAsync(proposed, found.ETag, cancellationToken))
        {
            return new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogWarning("Release of the legal hold on case {CaseId} proposed by {CallerId}", caseId, caller.Id);
        return new CaseOutcome<LegalHoldView>.Done(LegalHoldView.From(proposed));
    }

    /// <summary>A coordinator other than the proposer confirms the proposed release: the hold is released with the proposal's
    /// reason. Of two confirmations at once, one releases it (the ETag); the other is answered 409.</summary>
    public async Task<CaseOutcome<LegalHoldView>> ConfirmReleaseAsync(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var (_, refusal) = await VisibleToCoordinatorAsync<LegalHoldView>(caller, caseId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var held = await holds.InForceAsync(caseId, cancellationToken);
        if (held is { Hold.ReleasedAt: not null } interrupted)
        {
            // A confirmation that stopped half way (marked released, not yet moved): finish it as it was confirmed.
            return await holds.ReleaseAsync(interrupted.Hold, interrupted.ETag, cancellationToken)
                ? new CaseOutcome<LegalHoldView>.Done(LegalHoldView.From(interrupted.Hold))
                : new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.Conflict);
        }

        if (held is not { } found || found.Hold.ReleaseProposal is not { } proposal || !TwoCoordinators.StillOpen(proposal.ProposedAt, clock.GetUtcNow()))
        {
            return new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.LegalHold, DisposalRefusals.ReleaseNotProposed);
        }

        if (proposal.ProposedBy == caller.Id)
        {
            return new CaseOutcome<LegalHoldView>.Forbidden(); // two people: nobody confirms their own proposal
        }

        var released = found.Hold with { ReleasedBy = caller.Id, ReleasedAt = clock.GetUtcNow(), ReleaseReason = proposal.Reason };
        if (!await holds.ReleaseAsync(released, found.ETag, cancellationToken))
        {
            return new CaseOutcome<LegalHoldView>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogWarning("Legal hold on case {CaseId} released by {CallerId}, proposed by {ProposerId}", caseId, caller.Id, proposal.ProposedBy);
        return new CaseOutcome<LegalHoldView>.Done(LegalHoldView.From(released));
    }

    /// <summary>Why the case may not be disposed of now (not closed, or its closure recorded too recently), or null when it may.</summary>
    private async Task<CaseOutcome<T>?> NotDisposableAsync<T>(string caseId, CaseRecord record, CancellationToken cancellationToken)
    {
        var closedAt = record.Status == CaseStatus.Closed ? await cases.ClosedAtAsync(caseId, cancellationToken) : null;
        return DisposalRules.Refusal(record, closedAt, options.Value.MinimumYearsAfterClosure, JapanTime.Today(clock)) is { } refusal
            ? new CaseOutcome<T>.Refused(ProblemCatalogue.NotDisposable, refusal.Reason, refusal.Arguments)
            : null;
    }

    /// <summary>Visibility first (404 exactly as for a missing case), then the role (403).</summary>
    private async Task<(StoredCaseRef? Case, CaseOutcome<T>? Refusal)> VisibleToCoordinatorAsync<T>(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        return gated is CaseOutcome<OpenCase>.Done { Value: var open }
            ? (new StoredCaseRef(open.Record), null)
            : (null, gated.As<T>());
    }

    /// <summary>The case as a coordinator may dispose of it: 404 exactly as for a missing case, then 403 for another role,
    /// then whether it is closed long enough.</summary>
    private async Task<DisposalSubject> CaseSubjectAsync(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var (stored, refusal) = await VisibleToCoordinatorAsync<CaseDisposal>(caller, caseId, cancellationToken);
        return refusal is not null ? new DisposalSubject(refusal, null) : new DisposalSubject(null, await NotDisposableAsync<CaseDisposal>(caseId, stored!.Record, cancellationToken));
    }

    /// <summary>The referral as a coordinator may dispose of it (404 for everyone else, hidden or missing alike; 403 for
    /// admins and auditors), then whether it was closed with no further action and its retention is over.</summary>
    private async Task<DisposalSubject> ReferralSubjectAsync(Caller caller, string referralId, CancellationToken cancellationToken)
    {
        var found = await referrals.FindAsync(caller, referralId, cancellationToken, submitterMay: false);
        if (found is not CaseOutcome<StoredReferral>.Done { Value: var referral })
        {
            return new DisposalSubject(found.As<CaseDisposal>(), null);
        }

        if (!caller.IsCoordinator)
        {
            return new DisposalSubject(new CaseOutcome<CaseDisposal>.Forbidden(), null);
        }

        caller.Audit.TouchedEntries([referralId]);
        return new DisposalSubject(null, ReferralRetention.Refusal(referral, JapanTime.Today(clock)) is { } refusal
            ? new CaseOutcome<CaseDisposal>.Refused(ProblemCatalogue.ReferralNotDisposable, refusal.Reason, refusal.Arguments)
            : null);
    }

    private static CaseOutcome<TView> Map<TView>(CaseOutcome<CaseDisposal> outcome, Func<CaseDisposal, TView> view)
        => outcome is CaseOutcome<CaseDisposal>.Done { Value: var disposal } ? new CaseOutcome<TView>.Done(view(disposal)) : outcome.As<TView>();

    private static IReadOnlyList<ValidationError>? ReasonErrors(LegalHoldRequest request)
    {
        var errors = new ValidationErrors();
        errors.Required("$.reason", request.Reason);
        errors.Text("$.reason", request.Reason, MaxReasonLength, multiline: true);
        return errors.Any ? errors.All : null;
    }

    private sealed record StoredCaseRef(CaseRecord Record);

    /// <summary>What a disposal is of, checked for the caller: <see cref="Refusal"/> before anything else (404, 403), then
    /// <see cref="NotDisposable"/>, why it may not go now (null when it may).</summary>
    private sealed record DisposalSubject(CaseOutcome<CaseDisposal>? Refusal, CaseOutcome<CaseDisposal>? NotDisposable);

    private delegate Task<DisposalSubject> SubjectCheck(CancellationToken cancellationToken);
}
