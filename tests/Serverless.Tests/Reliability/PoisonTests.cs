using Azure.Data.Tables;
using Azure.Storage.Queues;
using Serverless.Cases.Activity;
using Serverless.DeadLetters;
using Serverless.Entries;
using Serverless.Notifications;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Reliability;

/// <summary>
/// A message whose handling always fails, end to end on the local host's queue runner: tried exactly
/// <c>maxDequeueCount</c> times (host.json's 5, not shortened here), moved to <c>&lt;queue&gt;-poison</c> with nothing of
/// its work half-written, swept into the dead-letter table, and, once the fault is gone, replayed and completed once.
/// The health probe's and the webhook delivery's poison paths are covered in <c>QueueTriggerTests</c>,
/// <c>DeadLetterServiceTests</c> and <c>WebhookDeliveryTests</c>; this is the entry event (fan-out, activity, outbox).
/// </summary>
public sealed class PoisonTests
{
    private const int HostJsonMaxDequeueCount = 5;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EntryEventThatAlwaysFailsIsPoisonedAfterMaxDequeueCountWithNothingWrittenThenReplayedOnce()
    {
        var api = await CaseApi.StartAsync(backgroundTriggers: true, hostSettings: settings =>
        {
            Assert.Equal(HostJsonMaxDequeueCount, settings.MaxDequeueCount); // as host.json says
            settings.VisibilityTimeout = TimeSpan.Zero;
            settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        await using var host = api.Host;
        var caseId = await api.SharedCaseAsync();
        var inbox = host.Storage.Tables.GetTableClient(host.Names.Table(NotificationInbox.TableName));
        var work = new QueueClient(TestStorage.ConnectionString, host.Names.Queue(EntryEvents.Queue));
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(EntryEvents.Queue));
        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(work) == 0, Timeout, "the case's own events are handled");
        var attemptsBefore = Count(host, "Executing 'Functions.EntryAdded'");
        var succeededBefore = Count(host, "Executed 'Functions.EntryAdded' (Succeeded");

        // The fault: the inbox's table is gone, so the fan-out's first write fails on every attempt.
        await inbox.DeleteAsync();
        var entryId = await api.ReportIdAsync(caseId, EntryApi.Report());

        await TestHost.WaitUntilAsync(
            async () => await ApproximateCountAsync(poison) == 1 && await ApproximateCountAsync(work) == 0,
            Timeout,
            "the entry event is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.EntryAdded'") - attemptsBefore);
        Assert.Equal(0, Count(host, "Executed 'Functions.EntryAdded' (Succeeded") - succeededBefore);

        // Nothing half-written: no activity for the report, the announcement still pending (the catch-up's to finish).
        Assert.False((await host.Get<CaseActivityLog>().GetAsync(caseId, CancellationToken.None)).LastByKind.ContainsKey(CaseActivityKind.Report));
        Assert.Contains(await host.Get<EntryOutbox>().PendingAsync(DateTimeOffset.MaxValue, 100, CancellationToken.None), pending => pending.EntryId == entryId);

        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(EntryEvents.Queue, CancellationToken.None));
        Assert.Contains(entryId, letter.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, await ApproximateCountAsync(poison));

        // The fix, then the replay ops would run.
        await inbox.CreateIfNotExistsAsync();
        var succeeded = Count(host, "Executed 'Functions.EntryAdded' (Succeeded");
        Assert.Equal(1, await deadLetters.ReplayAsync(EntryEvents.Queue, null, CancellationToken.None));

        await TestHost.WaitUntilAsync(
            async () => (await host.Get<EntryOutbox>().PendingAsync(DateTimeOffset.MaxValue, 100, CancellationToken.None)).All(pending => pending.EntryId != entryId),
            Timeout,
            "the replayed event is handled");
        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(work) == 0, Timeout, "the replayed message is deleted");
        Assert.Equal(1, Count(host, "Executed 'Functions.EntryAdded' (Succeeded") - succeeded);
        Assert.True((await host.Get<CaseActivityLog>().GetAsync(caseId, CancellationToken.None)).LastByKind.ContainsKey(CaseActivityKind.Report));
        var delivered = await NotificationsAsync(inbox);
        Assert.NotEmpty(delivered);
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Empty(await deadLetters.ListAsync(null, CancellationToken.None));

        // Once: handling the same message again (a duplicate delivery) adds nothing.
        await host.Get<EntryEvents>().HandleAsync(letter.MessageText, CancellationToken.None);
        Assert.Equal(delivered, await NotificationsAsync(inbox));
    }

    /// <summary>
    /// The transfer delivery's queue (<c>transfer-deliveries</c>): a partner that never answers 202 gets exactly
    /// <c>maxDequeueCount</c> posts; the last attempt marks the transfer failed and alerts the coordinators urgently, and
    /// the message, with its message id only, ends in the dead-letter table.
    /// </summary>
    [Fact]
    public async Task TransferDeliveryThatAlwaysFailsIsPoisonedAfterMaxDequeueCountMarkedFailedAndAlerted()
    {
        await using var world = await Serverless.Tests.Transfers.OutgoingTransferWorld.StartAsync(backgroundTriggers: true, hostSettings: settings =>
        {
            Assert.Equal(HostJsonMaxDequeueCount, settings.MaxDequeueCount);
            settings.VisibilityTimeout = TimeSpan.Zero;
            settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        var host = world.Api.Host;
        // A closed port on this machine: every post fails to connect.
        await world.RegisterPartnerAsync(endpoint: "http://127.0.0.1:9/api/transfers/incoming");
        var caseId = await world.Api.SharedCaseAsync();
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(Serverless.Transfers.Outgoing.TransferDeliveryQueue.Name));

        var messageId = await world.SentAsync(caseId);

        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(poison) == 1, Timeout, "the delivery is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.TransferDelivery'"));
        var row = await world.RowAsync(messageId);
        Assert.Equal(("failed", HostJsonMaxDequeueCount), (row.State, row.Attempts));
        var inbox = host.Storage.Tables.GetTableClient(host.Names.Table(NotificationInbox.TableName));
        var alerts = new List<TableEntity>();
        await foreach (var alert in inbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Kind eq {NotificationKinds.TransferDeliveryFailed}")))
        {
            alerts.Add(alert);
        }

        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert => Assert.Equal((caseId, true), (alert.GetString("CaseId"), alert.GetBoolean("Urgent"))));
        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(Serverless.Transfers.Outgoing.TransferDeliveryQueue.Name, CancellationToken.None));
        Assert.Equal($$"""{"schemaVersion":1,"messageId":"{{messageId}}"}""", letter.MessageText);
    }

    private static async Task<List<string>> NotificationsAsync(TableClient inbox)
    {
        var keys = new List<string>();
        await foreach (var row in inbox.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            if (row.RowKey != NotificationInbox.ReadMarkRow)
            {
                keys.Add(row.PartitionKey + "/" + row.RowKey);
            }
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static async Task<int> ApproximateCountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static int Count(TestHost host, string start)
        => host.Logs.Entries.Count(entry => entry.Text.StartsWith(start, StringComparison.Ordinal));
}
