using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Serverless.DevHost;

/// <summary>
/// Runs one timer-triggered function on its NCRONTAB schedule (six fields, with seconds, in UTC as
/// on Azure). Time comes from the injected <see cref="TimeProvider"/>, so tests move the clock instead of waiting.
/// </summary>
public sealed class TimerTriggerScheduler(
    TimerFunction function,
    FunctionInvoker invoker,
    TimeProvider clock,
    ILogger<TimerTriggerScheduler> logger) : BackgroundService
{
    public TimerFunction Function { get; } = function;

    private CrontabSchedule Schedule { get; } = Parse(function.Schedule);

    /// <summary>When the function will next run; null until the scheduler has started waiting.</summary>
    public DateTimeOffset? NextDue { get; private set; }

    public static CrontabSchedule Parse(string expression)
        => CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions
        {
            IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6,
        });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? last = null;
        if (Function.RunOnStartup)
        {
            await RunAsync(last, isPastDue: false, stoppingToken);
            last = clock.GetUtcNow();
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = new DateTimeOffset(Schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);

            // Published only once the timer exists: a test that sees NextDue and then moves a fake
            // clock must find the timer already waiting, or the delay would count from the moved clock.
            var due = Task.Delay(next - now, clock, stoppingToken);
            NextDue = next;
            try
            {
                await due;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunAsync(last, isPastDue: clock.GetUtcNow() - next > TimeSpan.FromMinutes(1), stoppingToken);
            last = next;
        }
    }

    private async Task RunAsync(DateTimeOffset? last, bool isPastDue, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var timer = new TimerInfo
        {
            IsPastDue = isPastDue,
            ScheduleStatus = new ScheduleStatus
            {
                Last = (last ?? now).UtcDateTime,
                Next = Schedule.GetNextOccurrence(now.UtcDateTime),
                LastUpdated = now.UtcDateTime,
            },
        };

        try
        {
            await invoker.InvokeAsync(Function, parameter => parameter.ParameterType == typeof(TimerInfo) ? timer : stoppingToken, "Timer fired at " + now.ToString("O"));
        }
        catch (FunctionFailedException)
        {
            logger.LogWarning("Timer function {Function} failed; it runs again at its next occurrence", Function.Name);
        }
    }
}
