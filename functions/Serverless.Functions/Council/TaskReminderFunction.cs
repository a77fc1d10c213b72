using Microsoft.Azure.Functions.Worker;
using Serverless.Council.Tasks;

namespace Serverless.Functions.Council;

/// <summary>Every day at 08:30 in Japan: reminds the owners of tasks due within <c>Council:TaskReminderDaysBefore</c> days
/// and of tasks overdue; each reminder once however often it runs.</summary>
public sealed class TaskReminderFunction(TaskReminders reminders)
{
    public const string Schedule = "0 30 23 * * *";

    [Function("TaskReminders")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => reminders.RunAsync(cancellationToken);
}
