using Microsoft.Extensions.Logging;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Validation;

namespace Serverless.Referrals;

/// <summary>
/// Safety confirmations (安全確認: someone actually saw the child). Several may be recorded, on an open or a decided
/// referral alike; the first stops the clock. On a referral that is part of a case each also goes on its timeline.
/// </summary>
public sealed class SafetyConfirmations(ReferralStore store, ReferralReader reader, ReferralEntries caseEntries, CaseStore cases, AgencyDirectory agencies, TimeProvider clock, ILogger<SafetyConfirmations> logger)
{
    /// <summary>Tries again when another change of the referral landed in between (a second confirmation, a decision).</summary>
    private const int Attempts = 3;

    public async Task<CaseOutcome<SafetyConfirmationView>> RecordAsync(Caller caller, string referralId, SafetyConfirmationRequest? request, CancellationToken cancellationToken)
    {
        var found = await reader.FindAsync(caller, referralId, cancellationToken, submitterMay: false);
        if (found is not CaseOutcome<StoredReferral>.Done { Value: var referral })
        {
            return found.As<SafetyConfirmationView>();
        }

        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<SafetyConfirmationView>.Forbidden();
        }

        if (request is null)
        {
            return new CaseOutcome<SafetyConfirmationView>.Unreadable();
        }

        var now = clock.GetUtcNow();
        var errors = ReferralValidator.Confirmation(request, referral, now, out var seenAt);
        if (request.SeenBy?.AgencyId is { } agencyId && await agencies.FindAsync(agencyId, cancellationToken) is null)
        {
            errors = [.. errors, new ValidationError("$.seenBy.agencyId", FieldRules.UnknownAgency)];
        }

        if (errors.Count > 0)
        {
            return new CaseOutcome<SafetyConfirmationView>.Invalid(errors);
        }

        var seenBy = request.SeenBy!;
        var confirmation = new SafetyConfirmation(
            EntryIds.NewSafetyConfirmation(),
            seenAt,
            new SeenByInput { AgencyId = seenBy.AgencyId, PersonId = seenBy.PersonId?.Trim(), Name = seenBy.Name?.Trim() },
            request.Method!.Value,
            request.Place?.Trim(),
            request.Condition?.Trim(),
            request.InjurySeen!.Value,
            caller.Id,
            now);
        for (var attempt = 1; ; attempt++)
        {
            var changed = referral with
            {
                Confirmations = referral.Confirmations + 1,
                FirstConfirmedAt = referral.FirstConfirmedAt ?? seenAt, // the first stops the clock; later ones never move it
                State = referral.State == ReferralState.Received ? ReferralState.InProgress : referral.State,
            };
            if (await store.AddConfirmationAsync(changed, confirmation, cancellationToken))
            {
                await store.SyncPointerAsync(changed, stages: null, cancellationToken);
                if (changed.CaseId is { } caseId && await cases.GetAsync(caseId, cancellationToken) is { } onCase)
                {
                    await caseEntries.AddConfirmationAsync(caseId, onCase.Record.LocationSecrecy, changed, confirmation, caller.AgencyId, cancellationToken);
                    caller.Audit.Touched([caseId]);
                }

                caller.Audit.TouchedEntries([referralId, confirmation.ConfirmationId]);
                logger.LogInformation("Safety confirmation {ConfirmationId} recorded on referral {ReferralId} by {CallerId}", confirmation.ConfirmationId, referralId, caller.Id);
                return new CaseOutcome<SafetyConfirmationView>.Done(View(confirmation));
            }

            if (attempt == Attempts || await store.GetAsync(referralId, cancellationToken) is not { } reread)
            {
                return new CaseOutcome<SafetyConfirmationView>.Refused(ProblemCatalogue.Conflict);
            }

            referral = reread;
        }
    }

    public static SafetyConfirmationView View(SafetyConfirmation c)
        => new(c.ConfirmationId, Time.JapanTime.ToJapan(c.SeenAt), c.SeenBy, c.Method, c.Place, c.Condition, c.InjurySeen, c.RecordedBy, Time.JapanTime.ToJapan(c.RecordedAt));
}
