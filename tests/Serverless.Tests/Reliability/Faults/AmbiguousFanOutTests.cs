using Serverless.Entries;
using Serverless.Notifications;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>
/// The notification fan-out (the <c>EntryAdded</c> handler on the entry-events queue, run by the host's own listener)
/// with each kind of write it makes cut after storage did it, or reset or dropped before storage saw it. Once, the
/// SDK's own retry meets the write it made (409 on an insert or a batch, 404 on a delete). On every one of the SDK's
/// four tries (for the inbox: four recipients' inserts side by side, sixteen tries) the handler throws and the queue
/// delivers the message again. Either way the end state must be the one a fault-free run leaves: one notification per
/// recipient, nobody missing, the report counted once in its month, the activity row at the report's time, the
/// announcement removed, nothing poisoned. (A cut delete is not in the four-tries rows: the HTTP stack itself resends a
/// delete that failed on a pooled connection, five tries in 1.5 s, so how many tries make the SDK give up is not fixed.)
/// </summary>
public sealed class AmbiguousFanOutTests(ITestOutputHelper output)
{
    public enum Write
    {
        /// <summary>One recipient's inbox row: <c>POST .../Notifications</c>.</summary>
        InboxInsert,

        /// <summary>The month's counters: the fan-out's <c>POST .../$batch</c> (marker, next head, old head's delete).</summary>
        CountersBatch,

        /// <summary>The case's activity row: a merge-upsert, <c>PATCH .../Cases(...,RowKey='activity')</c>.</summary>
        ActivityUpsert,

        /// <summary>The announcement's removal: <c>DELETE .../EntryOutbox(PartitionKey='pending',...)</c>.</summary>
        AnnouncementDelete,
    }

    [Theory]
    [InlineData(Write.InboxInsert, Fault.CutAfterForwarding, 1)]
    [InlineData(Write.InboxInsert, Fault.CutAfterForwarding, 16)]
    [InlineData(Write.InboxInsert, Fault.Reset, 1)]
    [InlineData(Write.InboxInsert, Fault.Drop, 16)]
    [InlineData(Write.CountersBatch, Fault.CutAfterForwarding, 1)]
    [InlineData(Write.CountersBatch, Fault.CutAfterForwarding, 4)]
    [InlineData(Write.ActivityUpsert, Fault.CutAfterForwarding, 1)]
    [InlineData(Write.ActivityUpsert, Fault.Reset, 4)]
    [InlineData(Write.AnnouncementDelete, Fault.CutAfterForwarding, 1)]
    [InlineData(Write.AnnouncementDelete, Fault.Reset, 1)]
    public async Task AFanOutWhoseWriteIsCutOrLostLeavesOneNotificationPerRecipientTheReportCountedOnceAndItsAnnouncementDone(Write write, Fault fault, int times)
    {
        await using var world = await FanOutWorld.StartAsync();
        var sendsBefore = world.EventSends;
        var succeededBefore = world.Count("Executed 'Functions.EntryAdded' (Succeeded");
        var failedBefore = world.Count("Executed 'Functions.EntryAdded' (Failed");
        var rule = world.Faults.Table.Add(new FaultRule($"the fan-out's {write} ({fault} x{times})", request => Matches(world, write, request) && world.AfterEventSend(sendsBefore), fault, times));

        var reportId = await world.Api.ReportIdAsync(world.CaseId, Report(), Teacher);
        await world.WaitUntilHandledAsync(reportId);

        var report = await world.ReportAsync(reportId);
        var notifications = await world.NotificationsAboutAsync(reportId);
        var counted = await world.ReportsCountedAsync(report.ReceivedAt);
        var lastReportAt = await world.LastReportAtAsync();
        var (succeeded, failed) = (world.Count("Executed 'Functions.EntryAdded' (Succeeded") - succeededBefore, world.Count("Executed 'Functions.EntryAdded' (Failed") - failedBefore);
        var poisoned = await world.PoisonedAsync(EntryEvents.Queue);
        Print(world,
            $"fan-out runs: {succeeded} succeeded, {failed} failed; poisoned: {poisoned}",
            $"notifications: {string.Join(", ", notifications.Select(pair => $"{pair.Key} x{pair.Value}"))}",
            $"reports counted: {counted}; activity at {lastReportAt:O} (report received {report.ReceivedAt:O}); still announced: {string.Join(",", await world.PendingAsync())}");

        // A fault the SDK's retry absorbs is one successful run; one it gives up on is a failed run and a re-delivery.
        Assert.Equal(times, rule.Applied);
        Assert.Equal(0, poisoned);
        Assert.Equal(1, succeeded);
        Assert.Equal(times > 1 ? 1 : 0, failed);

        // What the handler's 409s and 404s on its own writes must not turn into: a recipient missing (an insert given up on
        // and never retried), a count doubled (the batch's marker taken for another event's), the announcement left for the
        // catch-up timer to run the fan-out again.
        Assert.Equal(FanOutWorld.ReportRecipients, notifications.Keys.Order(StringComparer.Ordinal));
        Assert.All(notifications.Values, copies => Assert.Equal(1, copies));
        Assert.Equal(1, counted);
        Assert.Equal(report.ReceivedAt, lastReportAt);
        Assert.DoesNotContain(reportId, await world.PendingAsync());
    }

    private static bool Matches(FanOutWorld world, Write write, ProxiedRequest request) => write switch
    {
        Write.InboxInsert => request.Method == "POST" && request.Path.EndsWith("/" + world.Table(NotificationInbox.TableName), StringComparison.Ordinal),
        Write.CountersBatch => request.Method == "POST" && request.Path.EndsWith("/$batch", StringComparison.Ordinal),
        Write.ActivityUpsert => request.Method is "PATCH" or "MERGE" && request.Path.Contains($"/{world.Table(Serverless.Cases.Storage.CaseStore.TableName)}(PartitionKey='{world.CaseId}',RowKey='{Serverless.Cases.Storage.CaseEntity.ActivityRow}')", StringComparison.Ordinal),
        Write.AnnouncementDelete => request.Method == "DELETE" && request.Path.Contains("/" + world.Table(EntryOutbox.TableName) + "(", StringComparison.Ordinal),
        _ => false,
    };

    private void Print(FanOutWorld world, params string[] outcome)
    {
        foreach (var line in outcome.Append(world.Faults.Report()))
        {
            output.WriteLine(line);
        }
    }
}
