using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Idempotency;
using Serverless.Identity;
using Serverless.Problems;

namespace Serverless.Referrals;

/// <summary>
/// Receives referrals (通告・相談): from any member, from an agency form's key, or from a coordinator entering a call
/// or a visit. Stored before the answer, with its pointers written first so it is never missing from the coordinators'
/// list; the answer is a receipt only. With an Idempotency-Key the referral's id comes from the key, so a retry finds
/// the first attempt's answer in the referral's own partition and exactly one referral is ever stored.
/// </summary>
public sealed class ReferralIntake(ReferralStore store, IdempotencyRecords idempotency, AgencyDirectory agencies, IOptions<ReferralOptions> options, TimeProvider clock, ILogger<ReferralIntake> logger)
{
    /// <param name="request">Null when the body could not be read.</param>
    /// <param name="collection">The referrals' URL: the new one's is under it.</param>
    public async Task<CaseOutcome<EntryAdded>> SubmitAsync(Caller caller, ReferralRequest? request, IdempotencyKey? key, string collection, CancellationToken cancellationToken)
    {
        if (!caller.MaySeeCases && caller.Kind != CallerKind.SubmissionKey)
        {
            return new CaseOutcome<EntryAdded>.Forbidden(); // admins and auditors never touch a child's data
        }

        if (request is null)
        {
            return new CaseOutcome<EntryAdded>.Unreadable();
        }

        if (ReferenceEquals(key, IdempotencyKey.Malformed))
        {
            return new CaseOutcome<EntryAdded>.KeyConflict(ProblemCatalogue.InvalidIdempotencyKey);
        }

        var referralId = key is null ? ReferralIds.New() : ReferralIds.For(key);
        if (key is not null && EntryWriter.Answer(await idempotency.LookupAsync(store.Table, referralId, key, cancellationToken)) is { } replayed)
        {
            return replayed;
        }

        var now = clock.GetUtcNow();
        var errors = ReferralValidator.Referral(request, caller, now, out var observedAt);
        if (errors.Count > 0)
        {
            return new CaseOutcome<EntryAdded>.Invalid(errors);
        }

        if (key is not null && EntryWriter.Answer(await idempotency.MarkAsync(store.Table, referralId, key, cancellationToken)) is { } refused)
        {
            return refused;
        }

        try
        {
            var referral = new StoredReferral(
                referralId,
                await store.ReserveReceiptAsync(referralId, cancellationToken),
                request.Kind!.Value,
                caller.IsCoordinator ? request.Intake!.Channel!.Value : ReferralChannel.Online,
                request.Intake?.Route ?? await RouteAsync(caller, request, cancellationToken),
                now,
                Submitter(caller, request.SubmittedBy),
                new ReferralContent(observedAt, request.Narrative!, request.Child!, request.Referrer, request.Intake?.TakenBy?.Trim()))
            {
                DeadlineAt = ReferralClock.Deadline(request.Kind!.Value, now, options.Value),
            };
            var receipt = new ReferralReceipt(referralId, referral.ReceiptNumber, Time.JapanTime.ToJapan(now), referral.State);
            var response = new IdempotentResponse(201, JsonSerializer.Serialize(receipt, CaseJson.Options), collection + "/" + referralId);
            await store.PointAheadAsync(referral, cancellationToken);
            if (!await store.CreateAsync(referral, key is null ? [] : [idempotency.Completion(referralId, key, response)], cancellationToken))
            {
                // Ids are random or derived from the key: only another attempt with this key can have stored it.
                return key is null
                    ? throw new InvalidOperationException($"Referral {referralId} already exists.")
                    : EntryWriter.Answer(await idempotency.AfterConflictAsync(store.Table, referralId, key, cancellationToken))!;
            }

            await store.SyncPointerAsync(referral, stages: null, cancellationToken);
            logger.LogInformation("Referral {ReferralId} ({ReferralKind}) received from {CallerKind}", referralId, referral.Kind, caller.Kind);
            return new CaseOutcome<EntryAdded>.Done(new EntryAdded(response, Replayed: false));
        }
        finally
        {
            if (key is not null)
            {
                await idempotency.ReleaseAsync(store.Table, referralId, key);
            }
        }
    }

    /// <summary>経路 for the counts, from the submitting agency's kind (a coordinator names it or its channel does).</summary>
    private async Task<ReferralRoute?> RouteAsync(Caller caller, ReferralRequest request, CancellationToken cancellationToken)
    {
        if (caller.IsCoordinator)
        {
            return request.Intake!.Channel switch
            {
                ReferralChannel.Police => ReferralRoute.Police,
                ReferralChannel.School => ReferralRoute.School,
                ReferralChannel.Hospital => ReferralRoute.Hospital,
                ReferralChannel.From189 => ReferralRoute.ChildGuidanceCentre,
                _ => request.Referrer is { Anonymous: true } ? ReferralRoute.Anonymous : null,
            };
        }

        return (await agencies.FindAsync(caller.AgencyId, cancellationToken))?.Kind switch
        {
            AgencyKind.School or AgencyKind.BoardOfEducation or AgencyKind.Kindergarten => ReferralRoute.School,
            AgencyKind.Nursery or AgencyKind.CertifiedChildcareCentre or AgencyKind.UnlicensedNursery => ReferralRoute.Nursery,
            AgencyKind.Hospital => ReferralRoute.Hospital,
            AgencyKind.PublicHealthCentre => ReferralRoute.PublicHealthCentre,
            AgencyKind.ChildGuidanceCentre => ReferralRoute.ChildGuidanceCentre,
            AgencyKind.Police => ReferralRoute.Police,
            AgencyKind.WelfareFacility => ReferralRoute.WelfareOffice,
            _ => ReferralRoute.Other,
        };
    }

    private static ReferralSubmitter Submitter(Caller caller, SubmitterInput? submittedBy)
        => caller.Kind == CallerKind.SubmissionKey
            ? new ReferralSubmitter(EntryAuthor.Key, caller.Id, caller.AgencyId, submittedBy! with { Name = submittedBy.Name!.Trim(), Role = submittedBy.Role?.Trim() })
            : new ReferralSubmitter(EntryAuthor.Person, caller.Id, caller.AgencyId);
}
