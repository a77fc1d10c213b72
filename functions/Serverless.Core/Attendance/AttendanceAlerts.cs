using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;

namespace Serverless.Attendance;

/// <summary>
/// Raises the 7-day rule's alert (joint notice of 2019-02-28: 7 or more consecutive school days absent is reported at
/// once, even with a reason from the guardian). Persist first: the alert's row under the child's entry and the run's
/// key, then the case's timeline entry (with its announcement, so the fan-out is never lost), then the queued event
/// whose fan-out tells, urgently, every coordinator and the named staff of the case's agencies (the lead agency's
/// among them). The timeline entry's id is fixed by the entry and the run, so a resubmission or a retry adds nothing.
/// </summary>
public sealed class AttendanceAlerts(AttendanceStore store, EntryStore entries, EntryEvents events, TimeProvider clock, ILogger<AttendanceAlerts> logger)
{
    /// <returns>True when this call raised it; false when it had been raised before.</returns>
    public async Task<bool> RaiseAsync(ListEntry listed, string runKey, AbsenceRun? run, int reportedRun, string month, bool? reasonGiven, Caller by, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var schoolDays = Math.Max(run?.SchoolDays ?? 0, reportedRun);
        var candidate = new RaisedAlert(AttendanceIds.AlertEntry(listed.EntryId, runKey), now, schoolDays, run?.First, run?.Last);
        var recorded = await store.RecordAlertAsync(listed.EntryId, listed.CaseId, runKey, candidate, cancellationToken);
        var entry = new StoredEntry(
            listed.CaseId,
            recorded.TimelineEntryId,
            EntryType.AttendanceAlert,
            recorded.RaisedAt,
            run is { } seen ? Time.JapanTime.StartOfDay(seen.Last) : null,
            new EntryAuthor(by.Kind == CallerKind.SubmissionKey ? EntryAuthor.Key : EntryAuthor.Person, by.Id, listed.AgencyId),
            EntryScope.AllParticipants,
            Version: 1,
            Text: null,
            Report: null,
            Comment: null,
            CaseChange: null,
            Redaction: null)
        {
            AttendanceAlert = new AttendanceAlertDetails(listed.AgencyId, month, recorded.SchoolDays, recorded.First, recorded.Last, reasonGiven),
            VersionAt = recorded.RaisedAt,
            VersionBy = by.Id,
        };

        await events.AnnounceAsync(entry, cancellationToken);
        if (!await entries.AddAsync(entry, [], cancellationToken))
        {
            return false; // raised before (its announcement was handled then, or the catch-up handles it)
        }

        await events.SendAsync(entry);
        logger.LogWarning("Attendance alert {EntryId} on case {CaseId}: {SchoolDays} school days absent, reported by {AgencyId}", entry.EntryId, listed.CaseId, recorded.SchoolDays, listed.AgencyId);
        return true;
    }
}
