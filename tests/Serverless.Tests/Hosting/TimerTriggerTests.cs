using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serverless.DeadLetters;
using Serverless.DevHost;
using Serverless.Health;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Hosting;

/// <summary>
/// The timer trigger as the local host runs it: NCRONTAB in UTC, on the injected clock. The clock is
/// fake and moved by the test; each step waits until the scheduler has armed its timer
/// (<see cref="TimerTriggerScheduler.NextDue"/>) and then for the run's log entry, so no test sleeps.
/// </summary>
public sealed class TimerTriggerTests
{
    private const string ExecutingSweep = "Executing 'Functions.DeadLetterSweep'";
    private const string SweepSucceeded = "Executed 'Functions.DeadLetterSweep' (Succeeded";
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 2, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeadLetterSweepRunsOnTheFiveMinuteMarksOnly()
    {
        var clock = new FakeTimeProvider(Start);
        await using var host = await TestHost.StartAsync(backgroundTriggers: true, clock: clock);
        var sweep = Sweep(host);

        await WaitUntilDueAsync(sweep, At(0, 5, 0));
        clock.SetUtcNow(At(0, 4, 59));
        // Not observable as an event: give a wrongly fired timer a moment to show itself.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, Count(host, ExecutingSweep));

        clock.SetUtcNow(At(0, 5, 0));
        await TestHost.WaitUntilAsync(() => Task.FromResult(Count(host, SweepSucceeded) == 1), Timeout, "the 00:05 sweep has run");
        await WaitUntilDueAsync(sweep, At(0, 10, 0));
        Assert.Equal(1, Count(host, ExecutingSweep));

        clock.SetUtcNow(At(0, 9, 59));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, Count(host, ExecutingSweep));

        clock.SetUtcNow(At(0, 10, 0));
        await TestHost.WaitUntilAsync(() => Task.FromResult(Count(host, SweepSucceeded) == 2), Timeout, "the 00:10 sweep has run");
        await WaitUntilDueAsync(sweep, At(0, 15, 0));
        Assert.Equal(2, Count(host, ExecutingSweep));
    }

    [Fact]
    public async Task TimerRunSweepMovesAPoisonMessageIntoTheDeadLetterTable()
    {
        var clock = new FakeTimeProvider(Start);
        await using var host = await TestHost.StartAsync(backgroundTriggers: true, clock: clock);
        var poison = host.Storage.Queues.GetQueueClient(host.Names.PoisonQueue(HealthProbeService.Queue));
        const string text = """{"schemaVersion":1,"probeId":"not-hex"}""";
        var sent = (await poison.SendMessageAsync(text)).Value;

        await WaitUntilDueAsync(Sweep(host), At(0, 5, 0));
        clock.SetUtcNow(At(0, 5, 0));
        await TestHost.WaitUntilAsync(() => Task.FromResult(Count(host, SweepSucceeded) == 1), Timeout, "the 00:05 sweep has run");

        Assert.Equal(0, (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var table = host.Storage.Tables.GetTableClient(host.Names.Table(DeadLetterService.TableName));
        var row = Assert.Single(await table.QueryAsync<DeadLetterEntity>().ToListAsync());
        Assert.Equal(HealthProbeService.Queue, row.PartitionKey);
        Assert.Equal(sent.MessageId, row.RowKey);
        Assert.Equal(text, row.MessageText);
        Assert.Equal(At(0, 5, 0), row.DeadLetteredAt);
        Assert.Equal(DeadLetterEntity.CurrentSchemaVersion, row.SchemaVersion);
    }

    private static DateTimeOffset At(int hour, int minute, int second) => new(2026, 11, 25, hour, minute, second, TimeSpan.Zero);

    private static TimerTriggerScheduler Sweep(TestHost host)
        => host.Services.GetServices<TimerTriggerScheduler>().Single(scheduler => scheduler.Function.Name == "DeadLetterSweep");

    private static Task WaitUntilDueAsync(TimerTriggerScheduler scheduler, DateTimeOffset due)
        => TestHost.WaitUntilAsync(() => Task.FromResult(scheduler.NextDue == due), Timeout, $"the sweep is due at {due:HH:mm:ss}");

    private static int Count(TestHost host, string start)
        => host.Logs.Entries.Count(entry => entry.Text.StartsWith(start, StringComparison.Ordinal));
}
