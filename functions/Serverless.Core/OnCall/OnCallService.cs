using System.Globalization;
using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.OnCall;

/// <summary>
/// The coordinators' on-call schedule (当番): coordinators read and replace it, with If-Match as for a case;
/// the referral timer asks <see cref="RecipientsAtAsync"/> whom an urgent notification goes to. When nobody
/// who is still a coordinator is on call, every coordinator is told: an urgent notice never reaches no one.
/// </summary>
public sealed class OnCallService(OnCallStore store, PeopleDirectory people, TimeProvider clock, ILogger<OnCallService> logger)
{
    public async Task<CaseOutcome<OnCallView>> GetAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<OnCallView>.Forbidden();
        }

        return new CaseOutcome<OnCallView>.Done(OnCallView.From(await store.GetAsync(cancellationToken)));
    }

    /// <summary>
    /// Replaces the schedule. <paramref name="expected"/> is the version the caller read (If-Match): required once a
    /// schedule exists (428 without), and it must be the current one (412). Exceptions already over are dropped.
    /// </summary>
    /// <param name="schedule">Null when the body could not be read.</param>
    public async Task<CaseOutcome<OnCallView>> PutAsync(Caller caller, OnCallSchedule? schedule, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<OnCallView>.Forbidden();
        }

        if (schedule is null)
        {
            return new CaseOutcome<OnCallView>.Unreadable();
        }

        var current = await store.GetAsync(cancellationToken);
        var currentVersion = current?.Version ?? 0;
        if (expected.Version is null && current is not null)
        {
            return new CaseOutcome<OnCallView>.PreconditionRequired();
        }

        if (expected.Version is { } version && version != currentVersion)
        {
            return new CaseOutcome<OnCallView>.PreconditionFailed(currentVersion);
        }

        var now = clock.GetUtcNow();
        var coordinators = (await people.CoordinatorsOnAsync(JapanTime.Today(clock), cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var errors = OnCallValidator.Validate(schedule, now, coordinators);
        if (errors.Count > 0)
        {
            return new CaseOutcome<OnCallView>.Invalid(errors);
        }

        var kept = Normalize(schedule, now);
        var json = OnCallStore.Serialize(kept);
        if (json.Length > RecordChunks.MaxLength)
        {
            return new CaseOutcome<OnCallView>.Invalid([new ValidationError("$", FieldRules.TooLong, new Dictionary<string, string> { ["max"] = RecordChunks.MaxLength.ToString(CultureInfo.InvariantCulture) })]);
        }

        if (current is not null && json == OnCallStore.Serialize(current.Schedule))
        {
            return new CaseOutcome<OnCallView>.Done(OnCallView.From(current)); // nothing to save: no new version
        }

        var saved = await store.SaveAsync(current, kept, caller.Id, now, cancellationToken);
        if (saved is null)
        {
            // Another coordinator saved meanwhile: theirs stands, and the caller reads it before trying again.
            var latest = await store.GetAsync(cancellationToken);
            return new CaseOutcome<OnCallView>.PreconditionFailed(latest?.Version ?? currentVersion);
        }

        logger.LogInformation(
            "On-call schedule saved as version {Version} by {CallerId}: {SlotCount} weekly slots, {ExceptionCount} exceptions",
            saved.Version, caller.Id, kept.Weekly.Count, kept.Exceptions.Count);
        return new CaseOutcome<OnCallView>.Done(OnCallView.From(saved));
    }

    /// <summary>
    /// The person ids to tell at <paramref name="at"/>: the people on call then who hold a coordinator membership on
    /// that day (Japan), or, when there are none (no schedule, nobody scheduled, or none of them a coordinator any
    /// more), every coordinator of that day.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecipientsAtAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var stored = store.GetAsync(cancellationToken);
        var coordinators = people.CoordinatorsOnAsync(JapanTime.DateOf(at), cancellationToken);
        await Task.WhenAll(stored, coordinators);
        var active = (await coordinators).ToHashSet(StringComparer.Ordinal);
        var onCall = await stored is { } schedule
            ? OnCallRota.ScheduledAt(schedule.Schedule, at).Where(active.Contains).ToList()
            : [];
        if (onCall.Count > 0)
        {
            return onCall;
        }

        logger.LogInformation("Nobody on call at {At}: all {CoordinatorCount} coordinators are told", at, active.Count);
        return [.. active.Order(StringComparer.Ordinal)];
    }

    /// <summary>What is stored: the exceptions still to come or running, in the order sent, notes trimmed (blank is none).</summary>
    private static OnCallSchedule Normalize(OnCallSchedule schedule, DateTimeOffset now)
        => schedule with
        {
            Exceptions = [.. schedule.Exceptions
                .Where(exception => !OnCallRota.HasEnded(exception, now))
                .Select(exception => exception with { Note = string.IsNullOrWhiteSpace(exception.Note) ? null : exception.Note.Trim() })],
        };
}
