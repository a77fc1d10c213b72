using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Referrals;

/// <summary>
/// The intake meeting's decision (受理会議) and, for a 送致, the centre's acceptance. Into a new case (the draft or the
/// coordinator's corrected record, with the duplicate check), into an existing case, to the child guidance centre, or
/// no further action with a reason. The steps are idempotent (the new case's id and the entries' ids come from the
/// referral) and the decision is stored last, so a decision retried after a crash finishes what the first began.
/// Once decided, a referral takes safety confirmations only.
/// </summary>
public sealed class ReferralTriage(
    ReferralStore store,
    ReferralReader reader,
    ReferralEntries caseEntries,
    CaseService cases,
    CaseGate gate,
    AgencyDirectory agencies,
    IOptions<ReferralOptions> options,
    TimeProvider clock,
    ILogger<ReferralTriage> logger)
{
    public async Task<CaseOutcome<ReferralView>> DecideAsync(Caller caller, string referralId, DecisionRequest? request, CancellationToken cancellationToken)
    {
        var found = await reader.FindAsync(caller, referralId, cancellationToken, submitterMay: false);
        if (found is not CaseOutcome<StoredReferral>.Done { Value: var referral })
        {
            return found.As<ReferralView>();
        }

        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<ReferralView>.Forbidden();
        }

        if (referral.Decision is not null)
        {
            return new CaseOutcome<ReferralView>.Refused(ProblemCatalogue.ReferralDecided);
        }

        if (request is null)
        {
            return new CaseOutcome<ReferralView>.Unreadable();
        }

        var now = clock.GetUtcNow();
        var errors = ReferralValidator.Decision(request, JapanTime.DateOf(now));
        if (request.Outcome == ReferralOutcome.ReferredToCentre && request.CentreAgencyId is { } centreId
            && await agencies.FindAsync(centreId, cancellationToken) is not { Kind: AgencyKind.ChildGuidanceCentre })
        {
            errors = [.. errors, new ValidationError("$.centreAgencyId", FieldRules.NotACentre)];
        }

        if (errors.Count > 0)
        {
            return new CaseOutcome<ReferralView>.Invalid(errors);
        }

        if (request.Outcome == ReferralOutcome.NoFurtherAction && referral.Kind == ReferralKind.AbuseReport
            && referral.FirstConfirmedAt is null && string.IsNullOrWhiteSpace(request.NoConfirmationReason))
        {
            return new CaseOutcome<ReferralView>.Refused(ProblemCatalogue.SafetyConfirmationRequired);
        }

        var caseId = request.Outcome switch
        {
            ReferralOutcome.NewCase => ReferralIds.CaseFor(referralId),
            ReferralOutcome.ExistingCase => request.CaseId,
            _ => null,
        };
        if (caseId is not null)
        {
            var joined = await JoinCaseAsync(caller, referral, request, caseId, cancellationToken);
            if (joined is not null)
            {
                return joined;
            }
        }

        var decided = referral with
        {
            State = ReferralState.Decided,
            Decision = new ReferralDecision(
                request.Outcome!.Value,
                request.MeetingDate!.Value,
                caller.Id,
                now,
                request.Summary?.Trim(),
                caseId,
                request.CentreAgencyId,
                request.Reason?.Trim(),
                request.NoConfirmationReason?.Trim()),
            RetainUntil = request.Outcome == ReferralOutcome.NoFurtherAction ? JapanTime.DateOf(now).AddYears(options.Value.RetentionYears) : null,
        };
        var stored = await store.UpdateAsync(decided, cancellationToken);
        if (stored is null)
        {
            return new CaseOutcome<ReferralView>.Refused(ProblemCatalogue.Conflict); // decided or confirmed at the same moment: read it again
        }

        await store.SyncPointerAsync(stored, stages: null, cancellationToken);
        caller.Audit.TouchedEntries([referralId]);
        logger.LogInformation("Referral {ReferralId} decided ({ReferralOutcome}) by {CallerId}", referralId, stored.Decision!.Outcome, caller.Id);
        var (confirmations, escalations) = await store.PartsAsync(referralId, cancellationToken);
        return new CaseOutcome<ReferralView>.Done(reader.View(caller, stored, confirmations, escalations));
    }

    /// <summary>The centre accepted a 送致: the council's clock stops (the centre's runs).</summary>
    public async Task<CaseOutcome<ReferralView>> RecordAcceptanceAsync(Caller caller, string referralId, CentreAcceptanceRequest? request, CancellationToken cancellationToken)
    {
        var found = await reader.FindAsync(caller, referralId, cancellationToken, submitterMay: false);
        if (found is not CaseOutcome<StoredReferral>.Done { Value: var referral })
        {
            return found.As<ReferralView>();
        }

        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<ReferralView>.Forbidden();
        }

        if (referral.Decision?.Outcome != ReferralOutcome.ReferredToCentre || referral.Acceptance is not null)
        {
            return new CaseOutcome<ReferralView>.Refused(ProblemCatalogue.NotReferredToCentre);
        }

        if (request is null)
        {
            return new CaseOutcome<ReferralView>.Unreadable();
        }

        var now = clock.GetUtcNow();
        var errors = ReferralValidator.Acceptance(request, referral, now, out var acceptedAt);
        if (errors.Count > 0)
        {
            return new CaseOutcome<ReferralView>.Invalid(errors);
        }

        var stored = await store.UpdateAsync(referral with { Acceptance = new CentreAcceptance(acceptedAt, request.AcceptedBy?.Trim(), caller.Id, now) }, cancellationToken);
        if (stored is null)
        {
            return new CaseOutcome<ReferralView>.Refused(ProblemCatalogue.Conflict);
        }

        await store.SyncPointerAsync(stored, stages: null, cancellationToken);
        caller.Audit.TouchedEntries([referralId]);
        logger.LogInformation("Centre acceptance of referral {ReferralId} recorded by {CallerId}", referralId, caller.Id);
        var (confirmations, escalations) = await store.PartsAsync(referralId, cancellationToken);
        return new CaseOutcome<ReferralView>.Done(reader.View(caller, stored, confirmations, escalations));
    }

    /// <summary>Registers the new case or opens the existing one, then puts the referral and its confirmations on its
    /// timeline. Null when done; otherwise the refusal to answer (nothing of the referral changed).</summary>
    private async Task<CaseOutcome<ReferralView>?> JoinCaseAsync(Caller caller, StoredReferral referral, DecisionRequest request, string caseId, CancellationToken cancellationToken)
    {
        bool locationSecrecy;
        if (request.Outcome == ReferralOutcome.NewCase)
        {
            var record = request.Record ?? ReferralCaseDraft.From(referral, caller.AgencyId);
            var registered = await cases.RegisterFromReferralAsync(caller, new CreateCaseRequest(record, request.ConfirmedNotDuplicateOf), caseId, cancellationToken);
            if (registered is not CaseOutcome<CaseView>.Done { Value: var view })
            {
                return registered.As<ReferralView>();
            }

            locationSecrecy = view.Record.LocationSecrecy;
        }
        else
        {
            var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
            if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
            {
                return gated.As<ReferralView>();
            }

            locationSecrecy = open.Record.LocationSecrecy;
        }

        await caseEntries.AddReferralAsync(caseId, referral, request.Summary!, caller, cancellationToken);
        var (confirmations, _) = await store.PartsAsync(referral.ReferralId, cancellationToken);
        foreach (var confirmation in confirmations)
        {
            await caseEntries.AddConfirmationAsync(caseId, locationSecrecy, referral, confirmation, caller.AgencyId, cancellationToken);
        }

        caller.Audit.Touched([caseId]);
        return null;
    }
}
