using Azure.Storage.Queues;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Files.Validation;
using Serverless.Tests.Files;
using Serverless.Tests.Files.Api;
using Serverless.Tests.Infrastructure;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>
/// A queue send cut after storage stored it: the SDK sends the message again, so the queue holds two identical
/// messages and the host's listener runs the handler on both (side by side when they arrive in one batch). Sending is
/// at-least-once by nature; these show that each handler makes the second copy a no-op.
/// </summary>
public sealed class DuplicatedQueueSendTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnEntryEventSentTwiceIsHandledTwiceAndLeavesOneNotificationPerRecipientAndTheReportCountedOnce()
    {
        await using var world = await FanOutWorld.StartAsync();
        var succeededBefore = world.Count("Executed 'Functions.EntryAdded' (Succeeded");
        var cut = world.Faults.Queue.Add(new FaultRule("the report's entry event send", request => world.IsSendTo(request, EntryEvents.Queue), Fault.CutAfterForwarding));
        var sendsBefore = world.EventSends;

        var reportId = await world.Api.ReportIdAsync(world.CaseId, Report(), Teacher);
        await world.WaitUntilHandledAsync(reportId);
        await TestHost.WaitUntilAsync(() => Task.FromResult(world.Count("Executed 'Functions.EntryAdded' (Succeeded") - succeededBefore >= 2), TimeSpan.FromSeconds(30), "both copies are handled");

        var report = await world.ReportAsync(reportId);
        var notifications = await world.NotificationsAboutAsync(reportId);
        var counted = await world.ReportsCountedAsync(report.ReceivedAt);
        var lastReportAt = await world.LastReportAtAsync();
        var succeeded = world.Count("Executed 'Functions.EntryAdded' (Succeeded") - succeededBefore;
        var poisoned = await world.PoisonedAsync(EntryEvents.Queue);
        Print(world.Faults,
            $"sends to entry-events: {world.EventSends - sendsBefore}; fan-out runs succeeded: {succeeded}; poisoned: {poisoned}",
            $"notifications: {string.Join(", ", notifications.Select(pair => $"{pair.Key} x{pair.Value}"))}",
            $"reports counted: {counted}; activity at {lastReportAt:O} (report received {report.ReceivedAt:O})");

        // Two sends stored (the cut one and the SDK's retry), two runs that both succeed: a second copy that threw (its
        // inserts' 409s, the counters' marker, the announcement's 404 taken for failures) would end in the poison queue.
        Assert.Equal(1, cut.Applied);
        Assert.Equal(2, world.EventSends - sendsBefore);
        Assert.Equal(2, succeeded);
        Assert.Equal(0, poisoned);
        Assert.Equal(FanOutWorld.ReportRecipients, notifications.Keys.Order(StringComparer.Ordinal));
        Assert.All(notifications.Values, copies => Assert.Equal(1, copies));
        Assert.Equal(1, counted);
        Assert.Equal(report.ReceivedAt, lastReportAt);
        Assert.Empty(await world.PendingAsync());
    }

    [Fact]
    public async Task AFileValidationMessageSentTwiceLeavesOneReadyFileWithOneStoredCopyAndNothingInQuarantine()
    {
        await using var world = await FanOutWorld.StartAsync();
        var succeededBefore = world.Count("Executed 'Functions.ValidateFile' (Succeeded");
        var cut = world.Faults.Queue.Add(new FaultRule("the upload's validation send", request => world.IsSendTo(request, FileValidationQueue.Queue), Fault.CutAfterForwarding));

        var fileId = await world.Api.UploadIdAsync(world.CaseId, TestPdfs.Letter(), "連絡票.pdf", Teacher);
        var work = new QueueClient(TestStorage.ConnectionString, world.QueueName(FileValidationQueue.Queue));
        await TestHost.WaitUntilAsync(
            async () => world.Count("Executed 'Functions.ValidateFile'") >= 2 && (await work.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            TimeSpan.FromSeconds(60),
            "both validation messages are handled");

        var file = await world.Host.Get<CaseFiles>().GetAsync(world.CaseId, fileId, CancellationToken.None);
        var stored = await world.BlobsAsync(FileBlobs.Files);
        var quarantined = await world.BlobsAsync(FileBlobs.Quarantine);
        var succeeded = world.Count("Executed 'Functions.ValidateFile' (Succeeded") - succeededBefore;
        var poisoned = await world.PoisonedAsync(FileValidationQueue.Queue);
        Print(world.Faults,
            $"sends to file-validation: {world.Faults.Queue.Requests.Count(request => world.IsSendTo(request, FileValidationQueue.Queue))}; validations succeeded: {succeeded}; poisoned: {poisoned}",
            $"file {fileId}: {file?.State}; stored blobs: {string.Join(",", stored)}; quarantined blobs: {string.Join(",", quarantined)}");

        // The second copy must find the file done (or lose the row's ETag race) and leave it as it is: not refuse it
        // (its quarantined bytes already deleted by the first), not store a second copy, not fail into the poison queue.
        Assert.Equal(1, cut.Applied);
        Assert.Equal(2, world.Faults.Queue.Requests.Count(request => world.IsSendTo(request, FileValidationQueue.Queue)));
        Assert.Equal(2, succeeded);
        Assert.Equal(0, poisoned);
        Assert.Equal(FileState.Ready, file!.State);
        Assert.Equal([FileBlobs.Name(world.CaseId, fileId)], stored);
        Assert.Empty(quarantined);
    }

    private void Print(StorageFaults faults, params string[] outcome)
    {
        foreach (var line in outcome.Append(faults.Report()))
        {
            output.WriteLine(line);
        }
    }
}
