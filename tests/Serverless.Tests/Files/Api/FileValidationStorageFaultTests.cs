using Azure;
using Azure.Storage.Blobs.Models;
using Serverless.Files;
using Serverless.Files.Storage;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Files.Api;

/// <summary>
/// Validation tells a file whose bytes are gone (<c>BlobNotFound</c>: refused as damaged, for good) from storage that
/// is not there (any other 404, such as <c>ContainerNotFound</c>): the second throws, so the message is retried and
/// then dead-lettered, and the quarantined copy, the only copy of what the agency sent, is kept.
/// </summary>
public sealed class FileValidationStorageFaultTests
{
    [Fact]
    public async Task AMissingFilesContainerFailsTheValidationAndKeepsTheQuarantinedCopy()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "letter.pdf", Teacher);
        var stored = api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(FileBlobs.Files));
        var quarantine = api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(FileBlobs.Quarantine));
        await stored.DeleteAsync();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => api.ValidateAsync(caseId, fileId));

        Assert.Equal((404, BlobErrorCode.ContainerNotFound.ToString()), (failure.Status, failure.ErrorCode));
        var row = await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None);
        Assert.Equal(FileState.Quarantined, row!.State);
        Assert.Null(row.Rejection);
        Assert.True((await quarantine.GetBlobClient(FileBlobs.Name(caseId, fileId)).ExistsAsync()).Value, "The quarantined copy was deleted.");

        // Once the container is back, the retry (or the replayed dead letter) validates it.
        await stored.CreateIfNotExistsAsync();
        Assert.Equal(FileState.Ready, await api.ValidateAsync(caseId, fileId));
        Assert.True((await stored.GetBlobClient(FileBlobs.Name(caseId, fileId)).ExistsAsync()).Value);
        Assert.False((await quarantine.GetBlobClient(FileBlobs.Name(caseId, fileId)).ExistsAsync()).Value);
    }

    [Fact]
    public async Task AMissingQuarantineContainerFailsTheValidationAndRefusesNothing()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "letter.pdf", Teacher);
        await api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(FileBlobs.Quarantine)).DeleteAsync();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => api.ValidateAsync(caseId, fileId));

        Assert.Equal((404, BlobErrorCode.ContainerNotFound.ToString()), (failure.Status, failure.ErrorCode));
        var row = await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None);
        Assert.Equal(FileState.Quarantined, row!.State);
        Assert.Null(row.Rejection);
    }

    [Fact]
    public async Task AQuarantinedFileWhoseBytesAreGoneIsRefusedAsDamaged()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "letter.pdf", Teacher);
        await api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(FileBlobs.Quarantine)).DeleteBlobAsync(FileBlobs.Name(caseId, fileId), DeleteSnapshotsOption.IncludeSnapshots);

        Assert.Equal(FileState.Rejected, await api.ValidateAsync(caseId, fileId));

        Assert.Equal(FileRejections.Damaged, (await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None))!.Rejection!.Reason);
    }
}
