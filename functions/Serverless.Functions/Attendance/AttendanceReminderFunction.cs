using Microsoft.Azure.Functions.Worker;
using Serverless.Attendance;

namespace Serverless.Functions.Attendance;

/// <summary>Every day at 09:00 in Japan: reminds the agencies whose monthly attendance report is missing on the 11th, and
/// the coordinators from the 16th; each reminder once however often it runs.</summary>
public sealed class AttendanceReminderFunction(AttendanceReminders reminders)
{
    public const string Schedule = "0 0 0 * * *";

    [Function("AttendanceReminders")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => reminders.RunAsync(cancellationToken);
}
