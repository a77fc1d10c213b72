using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Serverless.DeadLetters;
using Serverless.Health;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Ops;

/// <summary>
/// The ops tool's commands, run in-process against Azurite. A test host (on a fake clock, so the
/// sweep timer stays still) creates the app's storage under a fresh prefix; the tool reaches the same
/// storage with <c>--connection-string</c> and <c>--name-prefix</c>.
/// </summary>
public sealed class OpsCommandTests
{
    private const string EmulatorOnly = "Storage:ConnectionString may only point at the local emulator (Azurite).";

    /// <summary>09:05 in Japan, as the listing prints it.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 5, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListShowsQueueIdAndTimeButNotTheText()
    {
        await using var host = await StartAsync();
        var ids = await DeadLetterAsync(host, """{"schemaVersion":1,"probeId":"secret-looking-text"}""");

        var (exitCode, output, error) = await RunAsync(host, "dead-letters", "list");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal("", error);
        var id = ids.Single();
        var idColumn = "MESSAGE ID".PadRight(id.Length);
        Assert.Equal(
            [
                $"QUEUE          {idColumn}  DEAD-LETTERED (JST)",
                $"health-probes  {id}  2026-11-25 09:05:00",
                "1 dead letter.",
            ],
            Lines(output));
    }

    [Fact]
    public async Task ListShowsTheTextOnlyWithShowText()
    {
        await using var host = await StartAsync();
        const string text = """{"schemaVersion":1,"probeId":"secret-looking-text"}""";
        var id = (await DeadLetterAsync(host, text)).Single();

        var (exitCode, output, _) = await RunAsync(host, "dead-letters", "list", "--show-text");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal($"health-probes  {id}  2026-11-25 09:05:00  {text}", Lines(output)[1]);
    }

    [Fact]
    public async Task ListByQueueShowsOnlyThatQueue()
    {
        await using var host = await StartAsync();
        await DeadLetterAsync(host, "a");
        var table = host.Storage.Tables.GetTableClient(host.Names.Table(DeadLetterService.TableName));
        await table.AddEntityAsync(new DeadLetterEntity { PartitionKey = "other-queue", RowKey = "m1", MessageText = "b", DeadLetteredAt = Now });

        var (exitCode, output, _) = await RunAsync(host, "dead-letters", "list", "--queue", "other-queue");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(
            [
                "QUEUE        MESSAGE ID  DEAD-LETTERED (JST)",
                "other-queue  m1          2026-11-25 09:05:00",
                "1 dead letter.",
            ],
            Lines(output));
    }

    [Fact]
    public async Task ReplayByIdReplaysExactlyThatOne()
    {
        await using var host = await StartAsync();
        var ids = await DeadLetterAsync(host, "first", "second", "third");

        var (exitCode, output, error) = await RunAsync(host, "dead-letters", "replay", "--id", ids[1]);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal("", error);
        Assert.Equal(["Replayed 1 dead letter."], Lines(output));
        var left = await host.Get<DeadLetterService>().ListAsync(null, CancellationToken.None);
        Assert.Equal(new[] { ids[0], ids[2] }.Order(StringComparer.Ordinal), left.Select(letter => letter.MessageId));
        var work = host.Storage.Queues.GetQueueClient(host.Names.Queue(HealthProbeService.Queue));
        Assert.Equal("second", Assert.Single((await work.PeekMessagesAsync(32)).Value).Body.ToString());
    }

    [Fact]
    public async Task ReplayOfAnUnknownIdFailsAndReplaysNothing()
    {
        await using var host = await StartAsync();
        await DeadLetterAsync(host, "first");

        var (exitCode, output, _) = await RunAsync(host, "dead-letters", "replay", "--id", "no-such-id");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal(["Replayed 0 dead letters."], Lines(output));
        Assert.Single(await host.Get<DeadLetterService>().ListAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task ReplayAllReplaysEveryDeadLetter()
    {
        await using var host = await StartAsync();
        await DeadLetterAsync(host, "first", "second");

        var (exitCode, output, _) = await RunAsync(host, "dead-letters", "replay", "--all");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(["Replayed 2 dead letters."], Lines(output));
        Assert.Empty(await host.Get<DeadLetterService>().ListAsync(null, CancellationToken.None));
    }

    [Theory]
    [InlineData]
    [InlineData("--all", "--id", "abc")]
    [InlineData("--queue", "health-probes", "--id", "abc")]
    public async Task ReplayWithoutExactlyOneSelectorIsAUsageError(params string[] selectors)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await OpsApp.RunAsync(["dead-letters", "replay", .. selectors, "--connection-string", TestStorage.ConnectionString], output, error);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("", output.ToString());
        Assert.Equal(
            [
                "Choose what to replay: exactly one of --all, --queue QUEUE or --id MESSAGEID.",
                "Run 'serverless-ops --help' (or a command with --help) for usage.",
            ],
            Lines(error.ToString()));
    }

    [Fact]
    public async Task SweepMovesPoisonMessagesIntoTheTable()
    {
        await using var host = await StartAsync();
        var poison = host.Storage.Queues.GetQueueClient(host.Names.PoisonQueue(HealthProbeService.Queue));
        await poison.SendMessageAsync("one");
        await poison.SendMessageAsync("two");

        var (exitCode, output, _) = await RunAsync(host, "dead-letters", "sweep");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(["Moved 2 messages from the poison queues into the dead-letter table."], Lines(output));
        Assert.Equal(2, (await host.Get<DeadLetterService>().ListAsync(HealthProbeService.Queue, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task NonEmulatorConnectionStringIsRefusedWithTheValidationMessage()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        const string azure = "DefaultEndpointsProtocol=https;AccountName=councilprod;AccountKey=bm90IGEga2V5;EndpointSuffix=core.windows.net";

        var exitCode = await OpsApp.RunAsync(["dead-letters", "list", "--connection-string", azure], output, error);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("", output.ToString());
        Assert.Contains(EmulatorOnly, error.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(
            "Use --connection-string for Azurite, or --account NAME for a storage account in Azure (with your Azure sign-in).",
            error.ToString().TrimEnd(),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--account", "Not_An_Account", "--account takes a storage account name: 3 to 24 lowercase letters and digits.")]
    [InlineData("--account", "councilprod", "Give either --connection-string (Azurite) or --account (Azure), not both.", "--connection-string", "UseDevelopmentStorage=true")]
    [InlineData("--timeout", "0", "--timeout must be at least 1 second.")]
    public async Task BadStorageOrTimeoutOptionsAreUsageErrors(string option, string value, string message, params string[] more)
    {
        var error = new StringWriter();

        var exitCode = await OpsApp.RunAsync(["probe", option, value, .. more], new StringWriter(), error);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal(message, Lines(error.ToString())[0]);
    }

    [Fact]
    public async Task ProbeExitsZeroWhenTheAppCompletesIt()
    {
        await using var host = await TestHost.StartAsync(backgroundTriggers: true, clock: new FakeTimeProvider(Now));

        var (exitCode, output, error) = await RunAsync(host, "probe", "--timeout", "30");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal("", error);
        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^Probe [0-9a-f]{32} sent; waiting up to 30s for the HealthProbe function\\.$", lines[0]);
        Assert.Matches("^Probe [0-9a-f]{32} completed at 2026-11-25 09:05:00 \\(JST\\), [0-9.]+s after sending\\.$", lines[1]);
    }

    [Fact]
    public async Task ProbeExitsOneWhenNothingCompletesItInTime()
    {
        // No queue listener: nothing will complete the probe.
        await using var host = await StartAsync();

        var (exitCode, _, error) = await RunAsync(host, "probe", "--timeout", "1");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Matches(
            "^Probe [0-9a-f]{32} was not completed within 1s: is the app running, and its HealthProbe function listening\\? \\(See dead-letters list if it failed\\.\\)$",
            Lines(error)[0]);
    }

    [Fact]
    public async Task CommandsOnStorageTheAppNeverCreatedFailWithAHint()
    {
        var error = new StringWriter();

        var exitCode = await OpsApp.RunAsync(
            ["dead-letters", "list", "--connection-string", TestStorage.ConnectionString, "--name-prefix", TestStorage.NewPrefix()], new StringWriter(), error);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal(
            "Storage answered 404 (TableNotFound): the app's tables and queues are not there. Has the app started once against this account (and name prefix)?",
            Lines(error.ToString())[0]);
    }

    private static Task<TestHost> StartAsync() => TestHost.StartAsync(clock: new FakeTimeProvider(Now));

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(TestHost host, params string[] args)
        => OpsTool.RunAsync(host.Prefix, args);

    /// <summary>Dead-letters messages the way the app does (poison queue, then a sweep at <see cref="Now"/>); returns their ids in send order.</summary>
    private static async Task<string[]> DeadLetterAsync(TestHost host, params string[] texts)
    {
        var poison = host.Storage.Queues.GetQueueClient(host.Names.PoisonQueue(HealthProbeService.Queue));
        var ids = new List<string>();
        foreach (var text in texts)
        {
            ids.Add((await poison.SendMessageAsync(text)).Value.MessageId);
        }

        Assert.Equal(texts.Length, await host.Get<DeadLetterService>().SweepAsync(CancellationToken.None));
        return [.. ids];
    }

    private static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
