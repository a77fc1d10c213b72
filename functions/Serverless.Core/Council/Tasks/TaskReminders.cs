using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Notifications;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Council.Tasks;

/// <summary>What one run of the task reminders did (counts only).</summary>
public sealed record TaskReminderRun(int Read, int DueSoon, int Overdue, int Dropped);

/// <summary>
/// Reminds a task's owner in the inbox <c>Council:TaskReminderDaysBefore</c> days before it is due, and once when it is
/// overdue: the person who owns it, or the named staff of the owning agency who see the case (anyone else learns of it
/// from the case's task list). A done task never reminds. The daily run reads only the pointers due by its horizon
/// (<see cref="TaskDueEntity"/>), each with its task and its case. Each reminder at most once however often the timer
/// runs or a run is repeated after a crash: the notification's id is fixed by the task and the stage, the inbox keeps one
/// per id, and the stage is recorded on the pointer only after it was sent.
/// </summary>
public sealed class TaskReminders(StorageClients clients, StorageNames names, CaseStore cases, PeopleDirectory people, NotificationInbox inbox, IOptions<CouncilOptions> options, TimeProvider clock, ILogger<TaskReminders> logger)
{
    public const string TableName = "TaskReminders";

    /// <summary>A pointer without its task is dropped only after this long: the review's batch may still be on its way.</summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromHours(1);

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>Writes the pointers of a review's tasks, before the review's batch (persist first).</summary>
    public async Task ScheduleAsync(IEnumerable<TaskEntity> tasks, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pointers = tasks.Select(task => new TaskDueEntity
        {
            RowKey = TaskDueEntity.Row(task.DueDate, task.PartitionKey, task.TaskId),
            CaseId = task.PartitionKey,
            TaskId = task.TaskId,
            DueDate = task.DueDate,
            CreatedAt = now,
        }).ToList();
        if (pointers.Count > 0)
        {
            // One partition: one batch (a review gives at most 20 tasks).
            await Table.SubmitTransactionAsync(pointers.Select(pointer => new TableTransactionAction(TableTransactionActionType.UpsertReplace, pointer)), cancellationToken);
        }
    }

    public async Task<TaskReminderRun> RunAsync(CancellationToken cancellationToken)
    {
        var today = JapanTime.Today(clock);
        var before = options.Value.TaskReminderDaysBefore;
        var horizon = Day(today.AddDays(before + 1));
        var pending = TableClient.CreateQueryFilter($"PartitionKey eq {TaskDueEntity.Pending} and RowKey lt {horizon}");
        var pointers = new List<TaskDueEntity>();
        await foreach (var pointer in Table.QueryAsync<TaskDueEntity>(pending, cancellationToken: cancellationToken))
        {
            pointers.Add(pointer);
        }

        if (pointers.Count == 0)
        {
            return new TaskReminderRun(0, 0, 0, 0);
        }

        var memberships = (await people.AllAsync(cancellationToken)).SelectMany(person => person.Memberships).Where(membership => membership.IsActiveOn(today)).ToList();
        int dueSoon = 0, overdue = 0, dropped = 0;
        foreach (var pointer in pointers)
        {
            switch (await RemindAsync(pointer, memberships, today, before, cancellationToken))
            {
                case Stage.DueSoon:
                    dueSoon++;
                    break;
                case Stage.Overdue:
                    overdue++;
                    break;
                case Stage.Dropped:
                    dropped++;
                    break;
            }
        }

        logger.LogInformation("Task reminders: {Read} pointers read, {DueSoon} due soon, {Overdue} overdue, {Dropped} dropped", pointers.Count, dueSoon, overdue, dropped);
        return new TaskReminderRun(pointers.Count, dueSoon, overdue, dropped);
    }

    private enum Stage
    {
        None,
        DueSoon,
        Overdue,
        Dropped,
    }

    private async Task<Stage> RemindAsync(TaskDueEntity pointer, IReadOnlyList<Membership> memberships, DateOnly today, int before, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var taskRead = cases.Table.GetEntityIfExistsAsync<TaskEntity>(pointer.CaseId, TaskEntity.Row(pointer.TaskId), cancellationToken: cancellationToken);
        var caseRead = cases.GetAsync(pointer.CaseId, cancellationToken);
        var found = await taskRead;
        var stored = await caseRead;
        if (stored is null || !found.HasValue)
        {
            // The case is gone (erased), or the review never saved its tasks (a stale ETag): nothing to remind of.
            if (stored is null || now - pointer.CreatedAt >= OrphanAge)
            {
                await DropAsync(pointer, cancellationToken);
                return Stage.Dropped;
            }

            return Stage.None;
        }

        var task = found.Value!;
        if (task.DoneAt is not null)
        {
            await DropAsync(pointer, cancellationToken);
            return Stage.Dropped;
        }

        var due = DateOnly.ParseExact(task.DueDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var overdue = due < today;
        if (!overdue && pointer.DueSoonSentAt is not null)
        {
            return Stage.None;
        }

        var stage = overdue ? NotificationKinds.TaskOverdue : NotificationKinds.TaskDueSoon;
        // The stage's own day, so the id (newest first) is the same in every run; never before the task was given.
        var stageDay = JapanTime.StartOfDay(overdue ? due.AddDays(1) : due.AddDays(-before));
        var at = stageDay > task.CreatedAt ? stageDay : task.CreatedAt;
        var recipients = Owners(task, stored.Record, memberships, today);
        var notification = new Notification(
            NotificationInbox.IdFor(at, "task/" + task.TaskId + "/" + stage),
            stage,
            pointer.CaseId,
            GrantId: null,
            NotificationKinds.SystemActor,
            ActorAgencyId: task.OwnerAgencyId ?? "",
            at)
        {
            TaskId = task.TaskId,
        };
        await inbox.SendOnceAsync(recipients, notification, cancellationToken);
        logger.LogInformation("Task {TaskId} of case {CaseId}: {Stage} reminder to {Recipients} people", task.TaskId, pointer.CaseId, stage, recipients.Count);
        if (overdue)
        {
            await DropAsync(pointer, cancellationToken); // the last reminder: nothing more to do
            return Stage.Overdue;
        }

        pointer.DueSoonSentAt = now;
        try
        {
            await Table.UpdateEntityAsync(pointer, pointer.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // another run got there first (it sent the same notification, kept once)
        }

        return Stage.DueSoon;
    }

    /// <summary>The owner: the person (through any membership that sees the case), or every person of the owning agency
    /// who sees the case (its named staff; coordinators there too). Never someone barred from the case.</summary>
    public static IReadOnlyList<string> Owners(TaskEntity task, CaseRecord record, IEnumerable<Membership> memberships, DateOnly today)
        => [.. memberships
            .Where(membership => membership.IsActiveOn(today)
                && (task.OwnerPersonId is { } person ? membership.PersonId == person : membership.AgencyId == task.OwnerAgencyId)
                && CaseAccess.CanSee(new Caller(membership.PersonId, membership.AgencyId, membership.Role), record, today))
            .Select(membership => membership.PersonId)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>Removes the pointer of a task marked done (the run would drop it anyway; this keeps the table small).</summary>
    public async Task ForgetAsync(TaskEntity task, CancellationToken cancellationToken)
        => await DropAsync(new TaskDueEntity { RowKey = TaskDueEntity.Row(task.DueDate, task.PartitionKey, task.TaskId), ETag = ETag.All }, cancellationToken);

    private async Task DropAsync(TaskDueEntity pointer, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(pointer.PartitionKey, pointer.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // gone already
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
