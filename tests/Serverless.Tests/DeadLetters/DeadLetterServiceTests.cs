using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Time.Testing;
using Serverless.DeadLetters;
using Serverless.Health;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.DeadLetters;

/// <summary>
/// The dead-letter service against Azurite: sweeping poison queues into the table, listing, replaying.
/// Hosts run without background triggers (unless a test says otherwise) and on a fake clock, so the
/// service is the only thing touching the queues and the recorded times are exact.
/// </summary>
public sealed class DeadLetterServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 5, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SweepMovesEveryPoisonMessageIntoTheTableKeyedByQueueAndMessageId()
    {
        await using var host = await StartAsync();
        // More than one receive batch (32).
        var sent = await PoisonAsync(host, Enumerable.Range(0, 40).Select(i => $$"""{"schemaVersion":1,"probeId":"probe-{{i}}"}""").ToArray());

        var moved = await host.Get<DeadLetterService>().SweepAsync(CancellationToken.None);

        Assert.Equal(40, moved);
        Assert.Equal(0, await ApproximateCountAsync(PoisonQueue(host)));
        var rows = await Table(host).QueryAsync<DeadLetterEntity>().ToListAsync();
        Assert.Equal(
            sent.Select(message => (HealthProbeService.Queue, message.Id, message.Text)).Order(),
            rows.Select(row => (row.PartitionKey, row.RowKey, row.MessageText)).Order());
        Assert.All(rows, row => Assert.Equal(Now, row.DeadLetteredAt));
        Assert.All(rows, row => Assert.NotNull(row.FirstQueuedAt));
    }

    [Fact]
    public async Task SweepingTwiceRecordsNothingTwice()
    {
        await using var host = await StartAsync();
        await PoisonAsync(host, "one", "two");
        var deadLetters = host.Get<DeadLetterService>();

        var first = await deadLetters.SweepAsync(CancellationToken.None);
        var second = await deadLetters.SweepAsync(CancellationToken.None);

        Assert.Equal(2, first);
        Assert.Equal(0, second);
        Assert.Equal(2, (await Table(host).QueryAsync<DeadLetterEntity>().ToListAsync()).Count);
    }

    [Fact]
    public async Task SweepAfterACrashBetweenRowAndDeleteWritesTheSameRowOnce()
    {
        await using var host = await StartAsync();
        var (id, text) = (await PoisonAsync(host, "crashed mid-sweep")).Single();
        // What a sweep that died after writing the row, before deleting the message, leaves behind.
        await Table(host).AddEntityAsync(new DeadLetterEntity
        {
            PartitionKey = HealthProbeService.Queue,
            RowKey = id,
            MessageText = text,
            DeadLetteredAt = Now.AddMinutes(-5),
        });

        var moved = await host.Get<DeadLetterService>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, moved);
        Assert.Equal(0, await ApproximateCountAsync(PoisonQueue(host)));
        var row = Assert.Single(await Table(host).QueryAsync<DeadLetterEntity>().ToListAsync());
        Assert.Equal((HealthProbeService.Queue, id, text, Now), (row.PartitionKey, row.RowKey, row.MessageText, row.DeadLetteredAt));
    }

    [Fact]
    public async Task ListAsyncByQueueReturnsOnlyThatQueuesDeadLetters()
    {
        await using var host = await StartAsync();
        var sent = await PoisonAsync(host, "a", "b");
        await host.Get<DeadLetterService>().SweepAsync(CancellationToken.None);
        await Table(host).AddEntityAsync(new DeadLetterEntity { PartitionKey = "other-queue", RowKey = "m1", MessageText = "c", DeadLetteredAt = Now });
        var deadLetters = host.Get<DeadLetterService>();

        var probes = await deadLetters.ListAsync(HealthProbeService.Queue, CancellationToken.None);
        var others = await deadLetters.ListAsync("other-queue", CancellationToken.None);
        var all = await deadLetters.ListAsync(null, CancellationToken.None);

        Assert.Equal(
            sent.Select(message => new DeadLetter(HealthProbeService.Queue, message.Id, message.Text, null, Now)).OrderBy(letter => letter.MessageId, StringComparer.Ordinal),
            probes.Select(letter => letter with { FirstQueuedAt = null }));
        Assert.Equal(new[] { new DeadLetter("other-queue", "m1", "c", null, Now) }, others);
        Assert.Equal(3, all.Count);
    }

    [Fact]
    public async Task ReplayPutsTheMessageTextBackOnTheWorkQueueInBase64AndRemovesTheRow()
    {
        await using var host = await StartAsync();
        const string text = """{"schemaVersion":1,"probeId":"0123456789abcdef0123456789abcdef"}""";
        await PoisonAsync(host, text);
        var deadLetters = host.Get<DeadLetterService>();
        await deadLetters.SweepAsync(CancellationToken.None);

        var replayed = await deadLetters.ReplayAsync(null, null, CancellationToken.None);

        Assert.Equal(1, replayed);
        Assert.Empty(await deadLetters.ListAsync(null, CancellationToken.None));
        var stored = Assert.Single((await RawQueue(host.Names.Queue(HealthProbeService.Queue)).PeekMessagesAsync(32)).Value);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), stored.Body.ToString());
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), stored.ExpiresOn); // never expires
    }

    [Fact]
    public async Task PlainTextPoisonMessageIsKeptAsItArrivedAndDoesNotStopTheSweep()
    {
        await using var host = await StartAsync();
        // Another producer's plain text (not base64), between two good messages.
        await PoisonAsync(host, "good-1");
        var plain = await PoisonQueue(host).SendMessageAsync("plain text {not base64}");
        await PoisonAsync(host, "good-2");
        var deadLetters = host.Get<DeadLetterService>();

        Assert.Equal(3, await deadLetters.SweepAsync(CancellationToken.None));

        var letters = await deadLetters.ListAsync(null, CancellationToken.None);
        Assert.Equal(3, letters.Count);
        var undecodable = Assert.Single(letters, letter => letter.Undecodable);
        Assert.Equal((plain.Value.MessageId, "plain text {not base64}"), (undecodable.MessageId, undecodable.MessageText));
        Assert.Equal(["good-1", "good-2"], letters.Where(letter => !letter.Undecodable).Select(letter => letter.MessageText).Order(StringComparer.Ordinal));
        Assert.Equal(0, await ApproximateCountAsync(PoisonQueue(host)));
    }

    [Fact]
    public async Task ReplayOfAPlainTextDeadLetterSendsItBackExactlyAsItArrived()
    {
        await using var host = await StartAsync();
        await PoisonQueue(host).SendMessageAsync("plain text {not base64}");
        var deadLetters = host.Get<DeadLetterService>();
        await deadLetters.SweepAsync(CancellationToken.None);

        Assert.Equal(1, await deadLetters.ReplayAsync(null, null, CancellationToken.None));

        var stored = Assert.Single((await RawQueue(host.Names.Queue(HealthProbeService.Queue)).PeekMessagesAsync(32)).Value);
        Assert.Equal("plain text {not base64}", stored.Body.ToString());
    }

    [Fact]
    public async Task ReplayOfOneIdLeavesTheOthers()
    {
        await using var host = await StartAsync();
        var sent = await PoisonAsync(host, "first", "second", "third");
        var deadLetters = host.Get<DeadLetterService>();
        await deadLetters.SweepAsync(CancellationToken.None);

        var replayed = await deadLetters.ReplayAsync(null, sent[1].Id, CancellationToken.None);

        Assert.Equal(1, replayed);
        Assert.Equal(
            new[] { sent[0].Id, sent[2].Id }.Order(StringComparer.Ordinal),
            (await deadLetters.ListAsync(null, CancellationToken.None)).Select(letter => letter.MessageId));
        var stored = Assert.Single((await host.Storage.Queues.GetQueueClient(host.Names.Queue(HealthProbeService.Queue)).PeekMessagesAsync(32)).Value);
        Assert.Equal("second", stored.Body.ToString());
    }

    [Fact]
    public async Task ReplayLeavesDeadLettersOfUnknownQueuesInPlace()
    {
        await using var host = await StartAsync();
        await Table(host).AddEntityAsync(new DeadLetterEntity { PartitionKey = "retired-queue", RowKey = "m1", MessageText = "old", DeadLetteredAt = Now });

        var replayed = await host.Get<DeadLetterService>().ReplayAsync(null, null, CancellationToken.None);

        Assert.Equal(0, replayed);
        Assert.Equal("m1", Assert.Single(await Table(host).QueryAsync<DeadLetterEntity>().ToListAsync()).RowKey);
        Assert.Single(host.Logs.Entries, entry => entry.Text.StartsWith("Dead letter m1 names unknown queue retired-queue; left in place", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SweepOfOneMessageCostsOneReceivePerWorkQueueOneUpsertAndOneDelete()
    {
        await using var host = await StartAsync();
        await PoisonAsync(host, "one");
        var before = host.Counter.For("test-sweep");

        using (StorageOperationCounter.BeginScope("test-sweep"))
        {
            await host.Get<DeadLetterService>().SweepAsync(CancellationToken.None);
        }

        var poison = host.Names.PoisonQueue(HealthProbeService.Queue);
        Assert.Equal(
            new Dictionary<string, long>
            {
                [$"queue GET {poison}/messages"] = 1,
                [$"queue GET {host.Names.PoisonQueue(Serverless.Cases.Disposal.DisposalQueue.Name)}/messages"] = 1, // every work queue's poison queue is looked at: empty here
                [$"queue GET {host.Names.PoisonQueue(Serverless.Entries.EntryEvents.Queue)}/messages"] = 1,
                [$"queue GET {host.Names.PoisonQueue(Serverless.Files.Validation.FileValidationQueue.Queue)}/messages"] = 1,
                [$"queue GET {host.Names.PoisonQueue(Serverless.Notifications.Webhooks.WebhookDispatcher.Queue)}/messages"] = 1,
                [$"queue GET {host.Names.PoisonQueue(Serverless.Transfers.Outgoing.TransferDeliveryQueue.Name)}/messages"] = 1,
                [$"queue GET {host.Names.PoisonQueue(Serverless.Transfers.Answers.TransferAnswerQueue.Name)}/messages"] = 1,
                [$"queue GET {host.Names.PoisonQueue(Serverless.Transfers.CarriedFiles.TransferFileQueue.Name)}/messages"] = 1,
                [$"table PUT {host.Prefix}DeadLetters(key)"] = 1,
                [$"queue DELETE {poison}/messages/*"] = 1,
            },
            StorageOperationCounter.Difference(before, host.Counter.For("test-sweep")));
    }

    [Fact]
    public async Task ReplayedValidProbeIsCompletedByTheHealthProbeFunctionAndLeavesNoDeadLetter()
    {
        // The fake clock holds the sweep timer still: this test sweeps when it chooses.
        // No health cache: the count is read twice, on a clock that stands still.
        await using var host = await TestHost.StartAsync(backgroundTriggers: true, clock: new FakeTimeProvider(Now), settings: new Dictionary<string, string> { ["Health:CacheSeconds"] = "0" });
        var probes = host.Get<HealthProbeService>();
        var deadLetters = host.Get<DeadLetterService>();
        var probeId = HealthProbeService.NewProbeId();
        // A valid probe in the poison queue: what a past transient failure (storage down, say) leaves.
        await PoisonAsync(host, $$"""{"schemaVersion":1,"probeId":"{{probeId}}"}""");

        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        Assert.Equal(1, await DeadLetterCountAsync(host));
        Assert.Null(await probes.CompletedAtAsync(probeId, CancellationToken.None));

        Assert.Equal(1, await deadLetters.ReplayAsync(HealthProbeService.Queue, null, CancellationToken.None));

        await TestHost.WaitUntilAsync(
            async () => await probes.CompletedAtAsync(probeId, CancellationToken.None) is not null,
            Timeout,
            "the replayed probe is completed");
        Assert.Equal(Now, await probes.CompletedAtAsync(probeId, CancellationToken.None));
        Assert.Equal(0, await DeadLetterCountAsync(host));
    }

    private static Task<TestHost> StartAsync() => TestHost.StartAsync(clock: new FakeTimeProvider(Now));

    /// <summary>Puts messages straight into the health-probes poison queue (base64, as the host would).</summary>
    private static async Task<List<(string Id, string Text)>> PoisonAsync(TestHost host, params string[] texts)
    {
        var poison = host.Storage.Queues.GetQueueClient(host.Names.PoisonQueue(HealthProbeService.Queue));
        var sent = new List<(string Id, string Text)>();
        foreach (var text in texts)
        {
            sent.Add(((await poison.SendMessageAsync(text)).Value.MessageId, text));
        }

        return sent;
    }

    private static TableClient Table(TestHost host) => host.Storage.Tables.GetTableClient(host.Names.Table(DeadLetterService.TableName));

    private static QueueClient PoisonQueue(TestHost host) => RawQueue(host.Names.PoisonQueue(HealthProbeService.Queue));

    /// <summary>A client without base64 encoding: peeks show the stored text.</summary>
    private static QueueClient RawQueue(string name) => new(TestStorage.ConnectionString, name);

    private static async Task<int> ApproximateCountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static async Task<int> DeadLetterCountAsync(TestHost host)
    {
        var response = await host.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("deadLetters").GetProperty("count").GetInt32();
    }
}
