using Azure.Storage.Blobs;
using Serverless.Files.Storage;
using Serverless.Files.Validation;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Files;
using Serverless.Tests.Files.Api;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Reliability.Faults;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Reliability.Crashes;

/// <summary>
/// The ValidateFile handler (file-validation: a phone photo read from quarantine, cleaned, stored with its thumbnail in
/// files, its row set ready, the quarantined copy deleted) killed before and after its steps, a new host process finishing
/// the work: the file ends ready with its bytes and thumbnail in files, nothing left in quarantine, no blob without its
/// row (an orphan nobody would ever delete) and no ready row without its blob, nothing in poison, the audit chain verifies.
/// </summary>
public sealed class ValidateFileCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AHostKilledBeforeOrAfterAStepOfAFileValidationLeavesTheFileReadyWithNoOrphanBlobAfterRestart()
    {
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var clients = TestStorage.Clients(api.Host.Prefix);
        var quarantine = clients.Blobs.GetBlobContainerClient(api.Host.Names.Container(FileBlobs.Quarantine));
        var stored = clients.Blobs.GetBlobContainerClient(api.Host.Names.Container(FileBlobs.Files));
        var files = api.Host.Get<CaseFiles>();

        var scenario = new CrashScenario(
            "ValidateFile",
            FileValidationQueue.Queue,
            _ => api.UploadIdAsync(caseId, TestPhotos.PhoneJpeg(), "写真.jpg"),
            async fileId =>
            {
                var file = await files.GetAsync(caseId, fileId, CancellationToken.None);
                Assert.NotNull(file);
                Assert.Equal(FileState.Ready, file.State);
                Assert.True(file.Validated!.Thumbnail, "the photo has no thumbnail");
                Assert.True(await stored.GetBlobClient(FileBlobs.Name(caseId, fileId)).ExistsAsync(), "the ready file's bytes are missing");
                Assert.True(await stored.GetBlobClient(FileBlobs.ThumbnailName(caseId, fileId)).ExistsAsync(), "the ready file's thumbnail is missing");

                // A quarantined copy left beside a ready row is never read again and never deleted: an orphan.
                Assert.False(await quarantine.GetBlobClient(FileBlobs.Name(caseId, fileId)).ExistsAsync(), "the quarantined copy is left behind");
                await AssertNoOrphansAsync(files, caseId, quarantine, stored);
                await AuditChain.AssertVerifiesAsync(api.Host);
            });

        using var loop = new CrashLoop(output, faults, api.Host.Prefix);
        // Always the file row's replace: killed right after it, an earlier version left the quarantined copy for ever.
        var steps = await loop.RunAsync(scenario, calibrated => loop.Sample(calibrated, sample: 8, always: step => step.Contains("table PUT", StringComparison.Ordinal)));
        Assert.Contains(steps, step => step.Contains(FileBlobs.Quarantine, StringComparison.Ordinal));
    }

    /// <summary>Every blob of the case has its row in the matching state: quarantine holds quarantined files only, files holds ready ones
    /// (and their thumbnails).</summary>
    private static async Task AssertNoOrphansAsync(CaseFiles files, string caseId, BlobContainerClient quarantine, BlobContainerClient stored)
    {
        var rows = (await files.ListAsync(caseId, CancellationToken.None)).ToDictionary(file => file.FileId);
        var prefix = FileBlobs.Name(caseId, "");
        await foreach (var blob in quarantine.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
        {
            var fileId = blob.Name[prefix.Length..];
            Assert.True(rows.TryGetValue(fileId, out var row) && row.State == FileState.Quarantined, $"orphan in quarantine: {blob.Name} ({(row is null ? "no row" : row.State)})");
        }

        await foreach (var blob in stored.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
        {
            var fileId = blob.Name[prefix.Length..].Replace("-thumbnail", "", StringComparison.Ordinal);
            Assert.True(rows.TryGetValue(fileId, out var row) && row.State == FileState.Ready, $"orphan in files: {blob.Name} ({(row is null ? "no row" : row.State)})");
        }
    }
}
