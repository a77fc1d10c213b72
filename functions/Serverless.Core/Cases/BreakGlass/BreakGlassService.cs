using Microsoft.Extensions.Logging;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Notifications;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Cases.BreakGlass;

/// <summary>
/// Break-glass: a designated person (an on-call coordinator, or a designated child-guidance-centre
/// member) opens a case outside their scope, with a reason, for <see cref="Duration"/>. Every other
/// coordinator is told before the grant exists (so no grant is ever unannounced), the audit marks each
/// access through it, and each grant waits for another coordinator's review.
/// </summary>
public sealed class BreakGlassService(
    CaseGate gate,
    CaseStore store,
    BreakGlassGrants grants,
    PeopleDirectory people,
    NotificationInbox inbox,
    Notifications.AgencyChannels channels,
    TimeProvider clock,
    ILogger<BreakGlassService> logger)
{
    public const int MaxReasonLength = 500;
    public const int MaxFindingLength = 1000;

    /// <summary>Long enough for a night's emergency; a longer need is a case for ordinary access.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromHours(4);

    public async Task<CaseOutcome<BreakGlassGrantView>> OpenAsync(Caller caller, string caseId, OpenBreakGlassRequest? request, CancellationToken cancellationToken)
    {
        // Exactly like reading: a case this caller could not open answers as a missing one (the audit
        // alone tells the two apart, which is why the case is read even for a caller who may not open it).
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.OpenBreakGlass, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<BreakGlassGrantView>();
        }

        var stored = open.Stored;
        if (request is null)
        {
            return new CaseOutcome<BreakGlassGrantView>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.reason", request.Reason);
        errors.Text("$.reason", request.Reason, MaxReasonLength, multiline: true);
        var now = clock.GetUtcNow();
        // Whoever sees the case already, ordinarily or through a grant still running, has nothing to open: a
        // grant is not stretched by opening again before it ends (a longer need is a case for ordinary access).
        if (CaseAccess.CanSee(caller, stored.Record, JapanTime.Today(clock)) || await grants.HasActiveGrantAsync(caseId, caller.Id, now, cancellationToken))
        {
            errors.Add("$", FieldRules.AlreadyVisible);
        }

        if (errors.Any)
        {
            return new CaseOutcome<BreakGlassGrantView>.Invalid(errors.All);
        }

        var grant = new BreakGlassGrant(BreakGlassGrants.NewGrantId(now), caseId, caller.Id, caller.AgencyId, request.Reason!.Trim(), now, now + Duration);
        var told = (await people.CoordinatorMembershipsOnAsync(JapanTime.Today(clock), cancellationToken))
            .Where(membership => membership.PersonId != caller.Id && !stored.Record.BarredPersonIds.Contains(membership.PersonId, StringComparer.Ordinal)) // a barred coordinator learns nothing of the case
            .ToList();
        var coordinators = told.Select(membership => membership.PersonId).Distinct(StringComparer.Ordinal).ToList();
        await inbox.SendAsync(
            coordinators,
            new Notification(NotificationInbox.NewId(now), NotificationKinds.BreakGlassOpened, caseId, grant.GrantId, caller.Id, caller.AgencyId, now),
            cancellationToken);
        await grants.AddAsync(grant, cancellationToken);
        try
        {
            await channels.TellAgenciesAsync(told.Select(membership => membership.AgencyId), "break-glass/" + grant.GrantId, NotificationKinds.BreakGlassOpened, urgent: true, now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The coordinators' inboxes have it; a chat channel that cannot be reached must not hold up the grant.
            logger.LogError(ex, "Break-glass grant {GrantId}: the coordinators' chat channels could not be told", grant.GrantId);
        }

        logger.LogWarning("Break-glass grant {GrantId} on case {CaseId} opened by {CallerId}; {CoordinatorCount} coordinators notified", grant.GrantId, caseId, caller.Id, coordinators.Count);
        return new CaseOutcome<BreakGlassGrantView>.Done(BreakGlassGrantView.From(grant));
    }

    /// <summary>A coordinator other than the one who opened it records what the review found.</summary>
    public async Task<CaseOutcome<BreakGlassGrantView>> ReviewAsync(Caller caller, string caseId, string grantId, ReviewBreakGlassRequest? request, CancellationToken cancellationToken)
    {
        // Exactly like reading, before any other check: a case the caller may not see answers as a missing
        // one (not 403), and a bar holds here too, a coordinator's included (a grant's reason is about the case).
        // Seeing the case through a running grant counts (the opener is then refused with 403, not 404).
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done)
        {
            return gated.As<BreakGlassGrantView>();
        }

        var found = BreakGlassGrants.IsGrantId(grantId) ? await grants.FindAsync(caseId, grantId, cancellationToken) : null;
        if (found is not { } existing)
        {
            return new CaseOutcome<BreakGlassGrantView>.NotFound();
        }

        if (existing.Grant.PersonId == caller.Id)
        {
            return new CaseOutcome<BreakGlassGrantView>.Forbidden(); // nobody reviews their own opening
        }

        if (request is null)
        {
            return new CaseOutcome<BreakGlassGrantView>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.finding", request.Finding);
        errors.Text("$.finding", request.Finding, MaxFindingLength, multiline: true);
        if (existing.Grant.ReviewedAt is not null)
        {
            errors.Add("$", FieldRules.ServerManaged);
        }

        if (errors.Any)
        {
            return new CaseOutcome<BreakGlassGrantView>.Invalid(errors.All);
        }

        var reviewed = existing.Grant with { ReviewedBy = caller.Id, ReviewedAt = clock.GetUtcNow(), Finding = request.Finding!.Trim() };
        if (!await grants.SaveReviewAsync(reviewed, existing.ETag, cancellationToken))
        {
            // Another coordinator reviewed it at the same moment: theirs stands.
            return new CaseOutcome<BreakGlassGrantView>.Invalid([new ValidationError("$", FieldRules.ServerManaged)]);
        }

        logger.LogInformation("Break-glass grant {GrantId} on case {CaseId} reviewed by {CallerId}", grantId, caseId, caller.Id);
        return new CaseOutcome<BreakGlassGrantView>.Done(BreakGlassGrantView.From(reviewed));
    }

    public async Task<CaseOutcome<IReadOnlyList<BreakGlassGrantView>>> AwaitingReviewAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<IReadOnlyList<BreakGlassGrantView>>.Forbidden();
        }

        // A bar holds for coordinators too, and a grant's reason is about its case: list only the grants on
        // cases the caller may see (one point read per case; grants are rare).
        var pending = await grants.AwaitingReviewAsync(cancellationToken);
        var caseIds = pending.Select(grant => grant.CaseId).Distinct(StringComparer.Ordinal).ToList();
        var cases = await Task.WhenAll(caseIds.Select(caseId => store.GetAsync(caseId, cancellationToken)));
        var today = JapanTime.Today(clock);
        var visible = caseIds.Zip(cases)
            .Where(pair => pair.Second is { } stored && CaseAccess.CanSee(caller, stored.Record, today))
            .Select(pair => pair.First)
            .ToHashSet(StringComparer.Ordinal);
        return new CaseOutcome<IReadOnlyList<BreakGlassGrantView>>.Done([.. pending.Where(grant => visible.Contains(grant.CaseId)).Select(BreakGlassGrantView.From)]);
    }
}
