using Azure.Storage.Queues;
using Serverless.Files.Storage;
using Serverless.Files.Validation;
using Serverless.Tests.Files;
using Serverless.Tests.Files.Api;
using Serverless.Tests.Infrastructure;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>
/// The file validation (the <c>ValidateFile</c> handler on the file-validation queue) with its decision, the file row's
/// If-Match replace, cut after storage did it: the SDK's retry meets 412 on its own replace.
/// </summary>
public sealed class AmbiguousFileValidationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AValidationWhoseRowReplaceIsCutAfterStorageStoredItLeavesTheFileReadyAndNothingInQuarantine()
    {
        await using var world = await FanOutWorld.StartAsync();
        var files = world.Table(Serverless.Cases.Storage.CaseStore.TableName);
        var cut = world.Faults.Table.Add(new FaultRule(
            "the validation's If-Match replace of the file row",
            request => request.Method == "PUT" && request.Path.Contains($"/{files}(PartitionKey='{world.CaseId}',RowKey='{FileEntity.RowPrefix}", StringComparison.Ordinal),
            Fault.CutAfterForwarding));

        var fileId = await world.Api.UploadIdAsync(world.CaseId, TestPdfs.Letter(), "連絡票.pdf", Teacher);
        var work = new QueueClient(TestStorage.ConnectionString, world.QueueName(FileValidationQueue.Queue));
        await TestHost.WaitUntilAsync(
            async () => world.Count("Executed 'Functions.ValidateFile'") >= 1 && (await work.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            TimeSpan.FromSeconds(60),
            "the validation message is handled");

        var file = await world.Host.Get<CaseFiles>().GetAsync(world.CaseId, fileId, CancellationToken.None);
        var stored = await DuplicatedQueueSendTests.BlobsAsync(world, FileBlobs.Files);
        var quarantined = await DuplicatedQueueSendTests.BlobsAsync(world, FileBlobs.Quarantine);
        var poisoned = await world.PoisonedAsync(FileValidationQueue.Queue);
        foreach (var line in new[]
        {
            $"validations: {world.Count("Executed 'Functions.ValidateFile'")}; poisoned: {poisoned}",
            $"file {fileId}: {file?.State}; stored blobs: {string.Join(",", stored)}; quarantined blobs: {string.Join(",", quarantined)}",
            world.Faults.Report(),
        })
        {
            output.WriteLine(line);
        }

        // The SDK's retry meets 412 on the replace it made. Taken for another writer's change, the handler left the file as
        // it found it and kept the quarantined copy: the agency's bytes twice, one of them never cleaned up.
        Assert.Equal(1, cut.Applied);
        Assert.Equal(0, poisoned);
        Assert.Equal(FileState.Ready, file!.State);
        Assert.Equal([FileBlobs.Name(world.CaseId, fileId)], stored);
        Assert.Empty(quarantined);
    }
}
