using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Serverless.Files.Storage;
using Serverless.Files.Sweep;
using Serverless.Files.Validation;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Files.Api;

/// <summary>The sweep: a lost validation is queued again; a file attached to nothing is deleted a day after its upload.</summary>
public sealed class FileSweepTests
{
    [Fact]
    public async Task AFileAttachedToNothingIsDeletedWithItsBytesADayAfterItsUploadAndAnAttachedOneStays()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var forgotten = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "forgotten.pdf", Teacher);
        var quarantined = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "never-validated.pdf", Teacher);
        var kept = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "kept.pdf", Teacher);
        await api.ValidateAsync(caseId, forgotten);
        await api.ValidateAsync(caseId, kept);
        var report = Report();
        report["files"] = new JsonArray(kept);
        await api.ReportIdAsync(caseId, report, Teacher);
        var sweep = api.Host.Get<FileSweep>();

        api.Host.Clock!.Advance(FileSweep.KeepUnattached - TimeSpan.FromMinutes(1));
        var early = await sweep.RunAsync(CancellationToken.None);
        api.Host.Clock.Advance(TimeSpan.FromMinutes(2));
        var late = await sweep.RunAsync(CancellationToken.None);

        Assert.Equal(new FileSweepResult(Requeued: 1, Deleted: 0, Dropped: 0), early);
        Assert.Equal(new FileSweepResult(Requeued: 0, Deleted: 2, Dropped: 0), late);
        var files = api.Host.Get<CaseFiles>();
        Assert.Null(await files.GetAsync(caseId, forgotten, CancellationToken.None));
        Assert.Null(await files.GetAsync(caseId, quarantined, CancellationToken.None));
        Assert.NotNull(await files.GetAsync(caseId, kept, CancellationToken.None));
        Assert.Equal([$"cases/{caseId}/{kept}"], await BlobNamesAsync(api, FileBlobs.Files));
        Assert.Empty(await BlobNamesAsync(api, FileBlobs.Quarantine));
        Assert.Empty(await files.PendingAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
        using var download = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{kept}/content", Teacher);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }

    [Fact]
    public async Task AQuarantinedFileWhoseMessageWasLostIsQueuedAgain()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "letter.pdf", Teacher);
        var queue = new QueueClient(TestStorage.ConnectionString, api.Host.Names.Queue(FileValidationQueue.Queue), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.ClearMessagesAsync(); // the message is lost

        api.Host.Clock!.Advance(FileSweep.RequeueAfter + TimeSpan.FromSeconds(1));
        await api.Host.Get<FileSweep>().RunAsync(CancellationToken.None);

        var message = Assert.Single((await queue.ReceiveMessagesAsync(10)).Value);
        await api.Host.Get<FileValidationQueue>().HandleAsync(message.Body.ToString(), CancellationToken.None);
        Assert.Equal(FileState.Ready, (await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task ValidatingTwiceChangesNothingAndAMessageForAFileGoneIsDone()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPhotos.PhoneJpeg(), "photo.jpg", Teacher);
        var validation = api.Host.Get<FileValidationQueue>();

        Assert.Equal(FileState.Ready, await validation.ValidateAsync(caseId, fileId, CancellationToken.None));
        var first = await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None);
        Assert.Equal(FileState.Ready, await validation.ValidateAsync(caseId, fileId, CancellationToken.None));
        var second = await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None);

        Assert.Equal(first!.ETag, second!.ETag);
        Assert.Null(await validation.ValidateAsync(caseId, "a0000000000000000000000000", CancellationToken.None));
        await Assert.ThrowsAsync<Serverless.Queues.UnreadableMessageException>(() => validation.HandleAsync("{\"schemaVersion\":1,\"caseId\":\"x\",\"fileId\":\"y\"}", CancellationToken.None));
    }

    private static async Task<List<string>> BlobNamesAsync(CaseApi api, string container)
    {
        var names = new List<string>();
        await foreach (var blob in api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(container)).GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
