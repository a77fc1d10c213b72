using Microsoft.Extensions.Logging;
using Serverless.Identity.People;
using Serverless.Notifications;
using Serverless.Time;

namespace Serverless.Attendance;

/// <summary>What one run of the reminders did (counts only).</summary>
public sealed record ReminderRun(string Month, int AgenciesMissing, int AgencyReminders, int CoordinatorReminders);

/// <summary>
/// The daily reminder: a child on a list with no row in the agency's report for the month before, by the 10th, reminds
/// the agency (from the 11th: the staff named for its list), and from the 16th every coordinator. Each reminder goes
/// out once per agency, month and stage however often the timer runs: the notification's id is fixed by the three, and
/// the reminder is recorded only after it was sent, so a run that crashed in between sends the same one again.
/// </summary>
public sealed class AttendanceReminders(AttendanceStore store, AttendanceLists lists, PeopleDirectory people, NotificationInbox inbox, TimeProvider clock, ILogger<AttendanceReminders> logger)
{
    /// <summary>The agency is reminded from this day of the next month.</summary>
    public const int AgencyDay = 11;

    /// <summary>The coordinators are reminded from this day of the next month.</summary>
    public const int CoordinatorDay = 16;

    public const string AgencyStage = "agency";
    public const string CoordinatorStage = "coordinator";

    public async Task<ReminderRun> RunAsync(CancellationToken cancellationToken)
    {
        var today = JapanTime.Today(clock);
        var monthStart = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var month = AttendanceStore.Month(monthStart);
        if (today.Day < AgencyDay)
        {
            return new ReminderRun(month, 0, 0, 0);
        }

        var monthEnd = monthStart.AddMonths(1).AddDays(-1);
        var agencies = (await store.AllEntriesAsync(cancellationToken)).Where(entry => entry.ListedOn <= monthEnd).Select(entry => entry.AgencyId).Distinct(StringComparer.Ordinal).ToList();
        int missing = 0, toAgencies = 0, toCoordinators = 0;
        foreach (var agencyId in agencies)
        {
            if (!await IsMissingAsync(agencyId, month, monthEnd, cancellationToken))
            {
                continue;
            }

            missing++;
            if (await RemindOnceAsync(agencyId, month, AgencyStage, () => store.StaffAsync(agencyId, cancellationToken), cancellationToken))
            {
                toAgencies++;
            }

            if (today.Day >= CoordinatorDay && await RemindOnceAsync(agencyId, month, CoordinatorStage, () => people.CoordinatorsOnAsync(today, cancellationToken), cancellationToken))
            {
                toCoordinators++;
            }
        }

        logger.LogInformation("Attendance reminders for {Month}: {Missing} agencies missing, {Agency} agency and {Coordinator} coordinator reminders", month, missing, toAgencies, toCoordinators);
        return new ReminderRun(month, missing, toAgencies, toCoordinators);
    }

    /// <summary>Whether a child listed by the month's end (and still on the list) has no row in the month's current report.</summary>
    private async Task<bool> IsMissingAsync(string agencyId, string month, DateOnly monthEnd, CancellationToken cancellationToken)
    {
        var listed = (await lists.CurrentAsync(agencyId, cancellationToken)).Where(pair => pair.Entry.ListedOn <= monthEnd).Select(pair => pair.Entry.EntryId).ToList();
        if (listed.Count == 0)
        {
            return false;
        }

        var (head, _) = await store.HeadAsync(agencyId, month, cancellationToken);
        if (head is null)
        {
            return true;
        }

        var reported = (await store.ReportRowsAsync(agencyId, month, head.Version, cancellationToken)).Select(row => row.EntryId).ToHashSet(StringComparer.Ordinal);
        return listed.Any(entryId => !reported.Contains(entryId));
    }

    /// <summary>The day a stage falls due: fixed, so the notification's id (newest first) is the same in every run.</summary>
    private static DateOnly DueDay(string month, string stage)
        => DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddMonths(1).AddDays((stage == AgencyStage ? AgencyDay : CoordinatorDay) - 1);

    private async Task<bool> RemindOnceAsync(string agencyId, string month, string stage, Func<Task<IReadOnlyList<string>>> recipients, CancellationToken cancellationToken)
    {
        if (await store.ReminderSentAsync(month, agencyId, stage, cancellationToken))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var key = "attendance/" + agencyId + "/" + month + "/" + stage;
        var notification = new Notification(
            NotificationInbox.IdFor(JapanTime.StartOfDay(DueDay(month, stage)), key),
            NotificationKinds.AttendanceReportMissing,
            CaseId: "",
            GrantId: null,
            NotificationKinds.SystemActor,
            ActorAgencyId: agencyId,
            now,
            Urgent: stage == CoordinatorStage ? true : null);
        await inbox.SendOnceAsync(await recipients(), notification, cancellationToken);
        await store.RecordReminderAsync(month, agencyId, stage, now, cancellationToken);
        logger.LogInformation("Attendance report of {AgencyId} for {Month} missing: {Stage} reminded", agencyId, month, stage);
        return true;
    }
}
