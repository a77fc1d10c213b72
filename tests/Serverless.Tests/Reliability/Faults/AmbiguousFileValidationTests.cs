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
/// An upload's two If-Match replaces of the file row cut after storage did them: the upload's own (receiving to
/// quarantined, then the validation is queued) and the validation's decision (quarantined to ready, then the
/// quarantined copy is deleted). The SDK's retry meets 412 on the replace it made itself.
/// </summary>
public sealed class AmbiguousFileValidationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AnUploadWhoseRowReplaceIsCutAfterStorageStoredItEndsOneReadyFileWithOneStoredCopyAndNothingInQuarantine(int replace)
    {
        await using var world = await FanOutWorld.StartAsync();
        var files = world.Table(Serverless.Cases.Storage.CaseStore.TableName);
        var seen = 0;
        var cut = world.Faults.Table.Add(new FaultRule(
            replace == 1 ? "the upload's replace (receiving to quarantined)" : "the validation's replace (quarantined to ready)",
            request => request.Method == "PUT" && request.Path.Contains($"/{files}(PartitionKey='{world.CaseId}',RowKey='{FileEntity.RowPrefix}", StringComparison.Ordinal)
                && Interlocked.Increment(ref seen) == replace,
            Fault.CutAfterForwarding));

        using var upload = await FileApi.UploadAsync(world.Api, world.CaseId, TestPdfs.Letter(), "連絡票.pdf", Teacher);
        var body = await upload.Content.ReadAsStringAsync();
        var work = new QueueClient(TestStorage.ConnectionString, world.QueueName(FileValidationQueue.Queue));
        await TestHost.WaitUntilAsync(
            async () => (upload.StatusCode != System.Net.HttpStatusCode.Accepted || world.Count("Executed 'Functions.ValidateFile'") >= 1)
                && (await work.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            TimeSpan.FromSeconds(60),
            "the validation message is handled");

        var rows = await world.Host.Get<CaseFiles>().ListAsync(world.CaseId, CancellationToken.None);
        var stored = await world.BlobsAsync(FileBlobs.Files);
        var quarantined = await world.BlobsAsync(FileBlobs.Quarantine);
        var poisoned = await world.PoisonedAsync(FileValidationQueue.Queue);
        foreach (var line in new[]
        {
            $"upload: {(int)upload.StatusCode} {body}",
            $"validations: {world.Count("Executed 'Functions.ValidateFile'")}; poisoned: {poisoned}",
            $"file rows: {string.Join(",", rows.Select(row => $"{row.FileId} {row.State}"))}; stored blobs: {string.Join(",", stored)}; quarantined blobs: {string.Join(",", quarantined)}",
            world.Faults.Report(),
        })
        {
            output.WriteLine(line);
        }

        // Upload's replace: the retry's 412 was thrown, a 500 for a file stored in quarantine and never queued for validation
        // (the caller sends it again: two files). Validation's replace: the 412 taken for another writer's change, the file
        // was left as found and its quarantined copy kept (the agency's bytes twice, one never cleaned up).
        Assert.Equal(1, cut.Applied);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, upload.StatusCode);
        var file = Assert.Single(rows);
        Assert.Contains(file.FileId, body, StringComparison.Ordinal);
        Assert.Equal(FileState.Ready, file.State);
        Assert.Equal(0, poisoned);
        Assert.Equal([FileBlobs.Name(world.CaseId, file.FileId)], stored);
        Assert.Empty(quarantined);
    }
}
