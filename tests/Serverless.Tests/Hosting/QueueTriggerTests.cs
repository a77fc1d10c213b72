using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Serverless.DevHost;
using Serverless.Health;
using Serverless.Queues;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Hosting;

/// <summary>
/// The queue trigger as the local host runs it, over Azurite: base64 messages, delete on success,
/// retries after <c>visibilityTimeout</c>, <c>maxDequeueCount</c> attempts, then <c>&lt;queue&gt;-poison</c>.
/// Every host here gets a fake clock that never moves, so the five-minute DeadLetterSweep timer cannot
/// empty a poison queue while a test looks at it.
/// </summary>
public sealed class QueueTriggerTests
{
    private const string ExecutingProbe = "Executing 'Functions.HealthProbe'";
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 2, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>What Azure reports as the expiry of a message sent with time-to-live -1 ("never");
    /// Azurite 3.35 reports the same (a message with the default TTL would expire 7 days after insertion).</summary>
    private static readonly DateTimeOffset NeverExpires = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    [Fact]
    public async Task ProbeSentWithHealthProbeServiceIsCompletedOnceAndDeletedFromTheQueue()
    {
        await using var host = await StartAsync();
        var work = RawQueue(host.Names.Queue(HealthProbeService.Queue));
        var probes = host.Get<HealthProbeService>();
        var probeId = HealthProbeService.NewProbeId();

        await probes.SendAsync(probeId, CancellationToken.None);

        await TestHost.WaitUntilAsync(
            async () => Count(host, "Executed 'Functions.HealthProbe' (Succeeded") == 1 && await ApproximateCountAsync(work) == 0,
            Timeout,
            "the probe is completed and deleted");
        Assert.Equal(Start, await probes.CompletedAtAsync(probeId, CancellationToken.None));
        Assert.Equal(1, Count(host, ExecutingProbe));
        Assert.Equal(0, await ApproximateCountAsync(RawQueue(host.Names.PoisonQueue(HealthProbeService.Queue))));
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"probeId":"not-hex"}""")]
    [InlineData("""{"schemaVersion":99,"probeId":"0123456789abcdef0123456789abcdef"}""")]
    [InlineData("not json at all")]
    public async Task FailingMessageIsTriedMaxDequeueCountTimesThenPoisoned(string text)
    {
        await using var host = await StartAsync(settings => settings.MaxDequeueCount = 3);
        var work = RawQueue(host.Names.Queue(HealthProbeService.Queue));
        var poison = RawQueue(host.Names.PoisonQueue(HealthProbeService.Queue));

        // Sent as Azure's own tooling would: base64 text on a plain client.
        await work.SendMessageAsync(Base64(text));

        await TestHost.WaitUntilAsync(
            async () => await ApproximateCountAsync(poison) == 1 && await ApproximateCountAsync(work) == 0,
            Timeout,
            "the message is in the poison queue and gone from the work queue");
        Assert.Equal(3, Count(host, ExecutingProbe));
        Assert.Equal(3, Count(host, "Executed 'Functions.HealthProbe' (Failed"));
        Assert.Equal(0, Count(host, "Executed 'Functions.HealthProbe' (Succeeded"));
        var moved = Assert.Single(host.Logs.Entries, entry => entry.Text.Contains("has reached MaxDequeueCount of 3", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, moved.Level);

        var poisoned = Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.Equal(text, FromBase64(poisoned.Body.ToString()));
    }

    [Fact]
    public async Task MessageThatIsNotBase64GoesStraightToPoisonAsItArrivedAndTheQueueKeepsWorking()
    {
        await using var host = await StartAsync();
        var work = RawQueue(host.Names.Queue(HealthProbeService.Queue));
        var poison = RawQueue(host.Names.PoisonQueue(HealthProbeService.Queue));
        var probes = host.Get<HealthProbeService>();
        var probeId = HealthProbeService.NewProbeId();

        await work.SendMessageAsync("plain text {not base64}");
        await probes.SendAsync(probeId, CancellationToken.None);

        await TestHost.WaitUntilAsync(
            async () => await ApproximateCountAsync(poison) == 1 && await probes.CompletedAtAsync(probeId, CancellationToken.None) is not null,
            Timeout,
            "the plain message is poisoned and the probe after it completed");
        Assert.Equal("plain text {not base64}", Assert.Single((await poison.PeekMessagesAsync(32)).Value).Body.ToString());
        Assert.Equal(1, Count(host, ExecutingProbe)); // the probe only: the trigger never ran on the plain text
        Assert.Single(host.Logs.Entries, entry => entry.Text.Contains("is not base64; it cannot be processed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedMessageIsNotRetriedBeforeTheVisibilityTimeout()
    {
        var attempts = new AttemptClock(ExecutingProbe);
        await using var host = await StartAsync(
            settings =>
            {
                settings.MaxDequeueCount = 2;
                settings.VisibilityTimeout = TimeSpan.FromSeconds(2);
            },
            services => services.AddSingleton<ILoggerProvider>(attempts));
        var poison = RawQueue(host.Names.PoisonQueue(HealthProbeService.Queue));

        await RawQueue(host.Names.Queue(HealthProbeService.Queue)).SendMessageAsync(Base64("""{"schemaVersion":1,"probeId":"not-hex"}"""));

        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(poison) == 1, Timeout, "the message is poisoned after two attempts");
        Assert.Equal(2, attempts.Times.Count);

        // A lower bound only: after the timeout the listener may still be backing off its polling
        // (up to maxPollingInterval), so the second attempt can come later, never sooner.
        var gap = attempts.Times.Last() - attempts.Times.First();
        Assert.True(gap >= TimeSpan.FromSeconds(1.5), $"The second attempt came {gap.TotalSeconds:0.00}s after the first; the visibility timeout is 2s.");
    }

    [Fact]
    public async Task MessagesTheAppSendsAreBase64InStorageAndNeverExpire()
    {
        // No listener: the message stays in the queue to be looked at.
        await using var host = await TestHost.StartAsync();
        var probeId = HealthProbeService.NewProbeId();

        await host.Get<HealthProbeService>().SendAsync(probeId, CancellationToken.None);

        // A client without base64 decoding sees the bytes as stored, as the Functions host reads them.
        var stored = Assert.Single((await RawQueue(host.Names.Queue(HealthProbeService.Queue)).PeekMessagesAsync(32)).Value);
        Assert.Equal(Base64($$"""{"schemaVersion":1,"probeId":"{{probeId}}"}"""), stored.Body.ToString());
        Assert.Equal(NeverExpires, stored.ExpiresOn);
    }

    [Fact]
    public async Task MessageOverMaxMessageBytesIsRefusedBeforeSendingAndOneAtTheLimitIsSent()
    {
        await using var host = await TestHost.StartAsync();
        var workQueue = host.Get<WorkQueue>();
        var overhead = Encoding.UTF8.GetByteCount(WorkQueue.Serialize(new PaddedMessage(1, "")));
        var atLimit = new PaddedMessage(1, new string('x', WorkQueue.MaxMessageBytes - overhead));
        var overLimit = atLimit with { Padding = atLimit.Padding + "x" };
        var before = host.Counter.For("test-send");

        InvalidOperationException refused;
        using (StorageOperationCounter.BeginScope("test-send"))
        {
            refused = await Assert.ThrowsAsync<InvalidOperationException>(
                () => workQueue.SendAsync(HealthProbeService.Queue, overLimit, CancellationToken.None));
        }

        Assert.Equal(
            $"A PaddedMessage is {WorkQueue.MaxMessageBytes + 1} bytes; queue messages carry ids only and must stay under {WorkQueue.MaxMessageBytes} bytes.",
            refused.Message);
        Assert.Empty(StorageOperationCounter.Difference(before, host.Counter.For("test-send")));

        // At the limit, base64 makes it exactly 64 KiB, which storage still accepts (one byte more it refuses).
        await workQueue.SendAsync(HealthProbeService.Queue, atLimit, CancellationToken.None);
        var stored = Assert.Single((await RawQueue(host.Names.Queue(HealthProbeService.Queue)).PeekMessagesAsync(32)).Value);
        Assert.Equal(64 * 1024, stored.Body.ToString().Length);
        Assert.Equal(WorkQueue.Serialize(atLimit), FromBase64(stored.Body.ToString()));
    }

    private static Task<TestHost> StartAsync(Action<HostSettings>? settings = null, Action<IServiceCollection>? services = null)
        => TestHost.StartAsync(
            backgroundTriggers: true,
            clock: new FakeTimeProvider(Start),
            hostSettings: hostSettings =>
            {
                hostSettings.MaxDequeueCount = 3;
                hostSettings.VisibilityTimeout = TimeSpan.Zero;
                settings?.Invoke(hostSettings);
            },
            services: services);

    /// <summary>A client without base64 encoding: what it sends and peeks is the stored text.</summary>
    private static QueueClient RawQueue(string name) => new(TestStorage.ConnectionString, name);

    /// <summary>Counts invisible messages too (one being processed or waiting out its visibility timeout).</summary>
    private static async Task<int> ApproximateCountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static int Count(TestHost host, string start)
        => host.Logs.Entries.Count(entry => entry.Text.StartsWith(start, StringComparison.Ordinal));

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string FromBase64(string text) => Encoding.UTF8.GetString(Convert.FromBase64String(text));

    private sealed record PaddedMessage(int SchemaVersion, string Padding) : ISchemaVersioned;

    /// <summary>When each log entry starting with <paramref name="start"/> was written (the capture keeps no times).</summary>
    private sealed class AttemptClock(string start) : ILoggerProvider
    {
        private readonly string start = start;
        private readonly ConcurrentQueue<TimeSpan> times = new();
        private readonly Stopwatch watch = Stopwatch.StartNew();

        public IReadOnlyCollection<TimeSpan> Times => times;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(AttemptClock owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (formatter(state, exception).StartsWith(owner.start, StringComparison.Ordinal))
                {
                    owner.times.Enqueue(owner.watch.Elapsed);
                }
            }
        }
    }
}
