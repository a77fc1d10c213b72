using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Time;

namespace Serverless.Council.Tasks;

/// <summary>The tasks of a case: read by whoever may read the case; marked done by their owner (the person, or a member of
/// the owning agency) or a coordinator. Every case-scoped step goes through the one case gate first.</summary>
public sealed class TaskService(CaseGate gate, CaseStore store, TaskReminders reminders, TimeProvider clock)
{
    public async Task<CaseOutcome<TaskList>> ListAsync(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Read, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<TaskList>();
        }

        var today = JapanTime.Today(clock);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {TaskEntity.RowPrefix} and RowKey lt {"j."}");
        var tasks = new List<TaskView>();
        await foreach (var row in store.Table.QueryAsync<TaskEntity>(filter, cancellationToken: cancellationToken))
        {
            // Under location secrecy a member outside the lead agency is not told which other agency has a role.
            if (row.OwnerAgencyId is { } owner && !CaseAccess.SeesEveryAgency(caller, open.Record, open.BreakGlass) && !CaseAccess.AgencyShown(caller, open.Record, owner))
            {
                continue;
            }

            tasks.Add(View(row, today));
        }

        return new CaseOutcome<TaskList>.Done(new TaskList(caseId, [.. tasks.OrderBy(task => task.DueDate).ThenBy(task => task.TaskId, StringComparer.Ordinal)]));
    }

    /// <summary>Marks a task done. Done already: answered with it as it is (a retry changes nothing).</summary>
    public async Task<CaseOutcome<TaskView>> DoneAsync(Caller caller, string caseId, string taskId, CancellationToken cancellationToken)
    {
        // Read, not AddEntry: a form's key sees no case, so it is answered as for a missing one; a break-glass reader only reads.
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Read, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<TaskView>();
        }

        if (open.BreakGlass)
        {
            return new CaseOutcome<TaskView>.Forbidden();
        }

        var today = JapanTime.Today(clock);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var found = MeetingIds.IsTask(taskId) ? await store.Table.GetEntityIfExistsAsync<TaskEntity>(caseId, TaskEntity.Row(taskId), cancellationToken: cancellationToken) : null;
            if (found is null || !found.HasValue)
            {
                return new CaseOutcome<TaskView>.NotFound();
            }

            var task = found.Value!;
            var owner = caller.IsCoordinator
                || (caller.Kind == CallerKind.Person && task.OwnerPersonId == caller.Id)
                || (caller.Role == CallerRole.Member && caller.Kind == CallerKind.Person && task.OwnerAgencyId == caller.AgencyId);
            if (!owner)
            {
                return new CaseOutcome<TaskView>.Forbidden();
            }

            if (task.DoneAt is not null)
            {
                return new CaseOutcome<TaskView>.Done(View(task, today));
            }

            task.DoneAt = clock.GetUtcNow();
            task.DoneBy = caller.Id;
            try
            {
                await store.Table.UpdateEntityAsync(task, task.ETag, TableUpdateMode.Replace, cancellationToken);
                await reminders.ForgetAsync(task, cancellationToken);
                return new CaseOutcome<TaskView>.Done(View(task, today));
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // changed meanwhile (done by someone else): read again
            }
        }

        return new CaseOutcome<TaskView>.Refused(Problems.ProblemCatalogue.Conflict);
    }

    public static TaskView View(TaskEntity row, DateOnly today)
    {
        var due = DateOnly.ParseExact(row.DueDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new TaskView(row.TaskId, row.MeetingId, row.Title, row.OwnerAgencyId, row.OwnerPersonId, due, row.DoneAt is null && due < today, row.DoneAt is { } at ? JapanTime.ToJapan(at) : null, row.DoneBy);
    }
}
