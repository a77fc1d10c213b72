using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Serverless.Cases.Disposal;
using Serverless.Files.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Files;
using Serverless.Tests.Files.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Disposal;

/// <summary>
/// A disposal takes every file of the case with it, in whatever state each is: the bytes in quarantine and in the
/// case's files, the rows in its partition and the pointers the sweep reads; another case's files stay as they were.
/// </summary>
public sealed class FileErasureTests
{
    [Fact]
    public async Task ErasingACaseDeletesEveryFileOfItQuarantinedStoredOrPendingAndNoOtherCasesFiles()
    {
        await using var api = await CaseApi.StartAsync();
        var disposed = await api.SharedCaseAsync();
        var kept = await api.SharedCaseAsync();
        var quarantined = await api.UploadIdAsync(disposed, TestPdfs.Letter(), "診断書.pdf");
        var letter = await api.UploadIdAsync(disposed, TestPdfs.OfLength(300 * 1024), "紹介状.pdf");
        var photo = await api.UploadIdAsync(disposed, TestPhotos.PhoneJpeg(), "腕.jpg");
        Assert.Equal(FileState.Ready, await api.ValidateAsync(disposed, letter));
        Assert.Equal(FileState.Ready, await api.ValidateAsync(disposed, photo));
        var report = Report();
        report["files"] = new JsonArray(letter); // attached: its pending pointer is released, its row stays
        await api.ReportIdAsync(disposed, report, Teacher);
        var keptQuarantined = await api.UploadIdAsync(kept, TestPdfs.Letter(), "別件.pdf");
        var keptReady = await api.UploadIdAsync(kept, TestPhotos.PhoneJpeg(), "別件.jpg");
        Assert.Equal(FileState.Ready, await api.ValidateAsync(kept, keptReady));
        var keptBefore = await FilesOfAsync(api, kept);
        Assert.Equal(
            new[] { $"files|cases/{disposed}/{letter}", $"files|cases/{disposed}/{photo}", $"files|cases/{disposed}/{photo}-thumbnail", $"quarantine|cases/{disposed}/{quarantined}" }.Order(StringComparer.Ordinal),
            (await FilesOfAsync(api, disposed)).Blobs.Keys);
        var eraser = api.Host.Get<CaseEraser>();

        var plan = await eraser.PlanAsync(disposed, CancellationToken.None);
        var erased = await eraser.EraseAsync(disposed, CancellationToken.None);

        Assert.Equal((1, 3, 2), Counts(plan)); // the photo's thumbnail is the third stored blob
        Assert.Equal((1, 3, 2), Counts(erased));
        var after = await FilesOfAsync(api, disposed);
        Assert.Empty(after.Blobs);
        Assert.Empty(after.Rows);
        Assert.Empty(after.Pointers);
        Assert.All(await eraser.PlanAsync(disposed, CancellationToken.None), count => Assert.True(count.Count == 0, $"{count.Store}: {count.Count} left"));
        var keptAfter = await FilesOfAsync(api, kept);
        Assert.Equal(keptBefore.Blobs, keptAfter.Blobs);
        Assert.Equal(keptBefore.Rows, keptAfter.Rows);
        Assert.Equal(keptBefore.Pointers, keptAfter.Pointers);
        Assert.Equal([$"files|cases/{kept}/{keptReady}", $"files|cases/{kept}/{keptReady}-thumbnail", $"quarantine|cases/{kept}/{keptQuarantined}"], keptAfter.Blobs.Keys);
        Assert.Equal(2, keptAfter.Rows.Count);
        Assert.Equal(2, keptAfter.Pointers.Count);
        using var download = await api.DownloadAsync(kept, keptReady);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(keptAfter.Blobs[$"files|cases/{kept}/{keptReady}"], Convert.ToBase64String(await download.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>Blobs deleted from quarantine, from the files container, and pending pointers deleted.</summary>
    private static (int Quarantine, int Files, int Pointers) Counts(IReadOnlyList<ErasureCount> counts)
        => (Count(counts, "blob:" + FileBlobs.Quarantine), Count(counts, "blob:" + FileBlobs.Files), Count(counts, CaseFiles.PendingTable));

    private static int Count(IReadOnlyList<ErasureCount> counts, string store) => Assert.Single(counts, count => count.Store == store).Count;

    /// <summary>Everything of a case's files in storage: blobs under its prefix in both containers (every version and
    /// soft-deleted one, content in base64), its <c>file-</c> rows, and the pending pointers naming it.</summary>
    private static async Task<(SortedDictionary<string, string> Blobs, List<string> Rows, List<string> Pointers)> FilesOfAsync(CaseApi api, string caseId)
    {
        var blobs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var container in new[] { FileBlobs.Quarantine, FileBlobs.Files })
        {
            var client = api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(container));
            await foreach (var blob in client.GetBlobsAsync(new GetBlobsOptions { Prefix = CaseEraser.BlobPrefix + caseId + "/", States = BlobStates.Version | BlobStates.Deleted }))
            {
                var content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content;
                blobs.Add($"{container}|{blob.Name}", Convert.ToBase64String(content.ToArray()));
            }
        }

        var cases = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(Serverless.Cases.Storage.CaseStore.TableName));
        var rows = await cases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {FileEntity.RowPrefix} and RowKey lt {"file."}"))
            .Select(row => $"{row.RowKey}|{row.GetString(nameof(FileEntity.State))}|{row.GetString(nameof(FileEntity.StoredSha256))}|{row.ETag}")
            .ToListAsync();
        var pending = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(CaseFiles.PendingTable));
        var pointers = await pending.QueryAsync<PendingFileEntity>(TableClient.CreateQueryFilter($"CaseId eq {caseId}"))
            .Select(pointer => $"{pointer.RowKey}|{pointer.FileId}")
            .ToListAsync();
        return (blobs, rows, pointers);
    }
}
