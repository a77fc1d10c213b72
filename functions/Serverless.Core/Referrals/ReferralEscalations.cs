using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Agencies;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Notifications;
using Serverless.Time;

namespace Serverless.Referrals;

/// <summary>What one run of the clock did (ids and counts only).</summary>
public sealed record EscalationRun(int Open, int Raised, int PointersDropped);

/// <summary>
/// The clock's timer (every 15 minutes): for each open referral whose clock runs, raises each stage that has fallen
/// due, exactly once however often it runs. Raising a stage records it on the referral first, with whom it tells (the
/// coordinators on call; for the overdue stage the child guidance centre's staff as well), then puts one urgent
/// notification in each of their inboxes under an id fixed by the referral and the stage, then marks it done on the
/// open list. A run that crashed between two steps is finished by the next, which finds the stage recorded and sends
/// to the same people again, idempotently. The same pass keeps the open list in line with the referrals.
/// </summary>
public sealed class ReferralEscalations(
    ReferralStore store,
    IEscalationRecipients onCall,
    PeopleDirectory people,
    AgencyDirectory agencies,
    NotificationInbox inbox,
    AgencyChannels channels,
    IOptions<ReferralOptions> options,
    TimeProvider clock,
    ILogger<ReferralEscalations> logger)
{
    /// <summary>How long a pointer written ahead of its referral may point at nothing before it is dropped:
    /// longer than any request takes to store the referral.</summary>
    public static readonly TimeSpan PointerGrace = TimeSpan.FromMinutes(10);

    public async Task<EscalationRun> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pointers = await store.OpenAsync(cancellationToken);
        var raised = 0;
        var dropped = 0;
        foreach (var pointer in pointers)
        {
            var referral = await store.GetAsync(pointer.ReferralId, cancellationToken);
            if (referral is null)
            {
                if (pointer.Confirmed || pointer.ReceivedAt + PointerGrace < now)
                {
                    await store.DropPointerAsync(pointer.ReferralId, cancellationToken); // erased, or its request never stored it
                    dropped++;
                }

                continue;
            }

            var stages = ReferralRows.Stages(pointer).ToList();
            foreach (var stage in ReferralClock.DueStages(referral, now, options.Value).Where(stage => !stages.Contains(stage)))
            {
                await RaiseAsync(referral, stage, now, cancellationToken);
                stages.Add(stage);
                raised++;
            }

            await store.SyncPointerAsync(referral, stages, cancellationToken);
        }

        logger.LogInformation("Referral clock: {Open} open, {Raised} stages raised, {Dropped} pointers dropped", pointers.Count, raised, dropped);
        return new EscalationRun(pointers.Count, raised, dropped);
    }

    private async Task RaiseAsync(StoredReferral referral, EscalationStage stage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dueAt = ReferralClock.DueAt(stage, referral.DeadlineAt!.Value, options.Value);
        var overdue = stage == EscalationStage.Overdue;
        var recipients = (await onCall.RecipientsAtAsync(now, cancellationToken)).ToList();
        if (overdue)
        {
            recipients.AddRange(await CentreStaffAsync(JapanTime.DateOf(now), cancellationToken));
        }

        // Recorded first, with its recipients: a later run that finds it sends to exactly these people.
        var escalation = await store.RaiseAsync(referral.ReferralId, new Escalation(stage, dueAt, now, [.. recipients.Distinct(StringComparer.Ordinal)], overdue, null), cancellationToken);
        var notification = new Notification(
            NotificationInbox.IdFor(escalation.RaisedAt, referral.ReferralId + "/" + stage),
            overdue ? NotificationKinds.ReferralOverdue : NotificationKinds.ReferralDueSoon,
            CaseId: "",
            GrantId: null,
            NotificationKinds.SystemActor,
            ActorAgencyId: "",
            escalation.RaisedAt,
            referral.ReferralId,
            Urgent: true);
        await inbox.SendOnceAsync(escalation.Recipients, notification, cancellationToken);
        await channels.TellAgenciesOfAsync(escalation.Recipients, referral.ReferralId + "/" + stage, notification.Kind, urgent: true, escalation.RaisedAt, cancellationToken);
        await store.MarkNotifiedAsync(referral.ReferralId, escalation with { NotifiedAt = now }, cancellationToken);
        logger.LogWarning("Referral {ReferralId}: {Stage} raised to {Recipients} people", referral.ReferralId, stage, escalation.Recipients.Count);
    }

    /// <summary>The staff of every child guidance centre on <paramref name="day"/>.</summary>
    private async Task<IEnumerable<string>> CentreStaffAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var centres = (await agencies.AllAsync(cancellationToken)).Values.Where(agency => agency.Kind == AgencyKind.ChildGuidanceCentre).Select(agency => agency.AgencyId).ToHashSet(StringComparer.Ordinal);
        return (await people.AllAsync(cancellationToken))
            .Where(person => person.Memberships.Any(membership => centres.Contains(membership.AgencyId) && membership.Role is CallerRole.Member or CallerRole.Coordinator && membership.IsActiveOn(day)))
            .Select(person => person.Profile.PersonId);
    }
}

/// <summary>Who an escalation tells: the coordinators on call at that moment, or every coordinator when nobody is.</summary>
public interface IEscalationRecipients
{
    Task<IReadOnlyList<string>> RecipientsAtAsync(DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The on-call schedule (当番) decides: those on call at that moment, every coordinator when nobody is.</summary>
public sealed class OnCallRecipients(OnCall.OnCallService onCall) : IEscalationRecipients
{
    public Task<IReadOnlyList<string>> RecipientsAtAsync(DateTimeOffset at, CancellationToken cancellationToken)
        => onCall.RecipientsAtAsync(at, cancellationToken);
}
