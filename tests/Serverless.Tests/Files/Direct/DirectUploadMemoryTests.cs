using System.Net;
using Serverless.Files.Storage;
using Serverless.Files.Validation;
using Serverless.Tests.Cases.Api;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;
using static Serverless.Tests.Files.Direct.DirectUploadApi;

namespace Serverless.Tests.Files.Direct;

/// <summary>
/// What validating the largest direct upload costs the worker in memory: the whole queue step (download from quarantine,
/// spool, inspect, store into the case's files), counted as bytes allocated by the process while nothing else runs (the
/// file memory collection runs alone), which bounds the peak from above. The file sits on the temporary disk instead.
/// </summary>
[Collection(nameof(FileMemoryTests))]
public sealed class DirectUploadMemoryTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;
    private const long Budget = 16 * MiB;

    [Fact]
    public async Task ValidatingAHundredMegabyteDirectUploadAllocatesLessThanSixteenMegabytes()
    {
        await using var api = await DirectUploadApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var validation = api.Host.Get<FileValidationQueue>();
        var warmUp = await UploadedAsync(api, caseId, Pdf(9 * MiB, seed: 1)); // JIT, connections, pools: several blocks each way
        Assert.Equal(FileState.Ready, await validation.ValidateAsync(caseId, warmUp, CancellationToken.None));
        var pdf = Pdf((100 * MiB) - 4096, seed: 2);
        var fileId = await UploadedAsync(api, caseId, pdf);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var state = await validation.ValidateAsync(caseId, fileId, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"{allocated} bytes ({allocated / (double)MiB:F1} MiB) allocated validating a {pdf.Length}-byte direct upload");
        Assert.Equal(FileState.Ready, state);
        Assert.True(allocated < Budget, $"{allocated} bytes allocated validating a {pdf.Length}-byte direct upload");
        await api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(FileBlobs.Files)).DeleteBlobIfExistsAsync(FileBlobs.Name(caseId, fileId));
    }

    private static async Task<string> UploadedAsync(CaseApi api, string caseId, byte[] content)
    {
        var (fileId, uploadUrl, _) = await api.StartedAsync(caseId, "large.pdf", content.Length);
        await UploadAsync(uploadUrl, content);
        using var completed = await api.CompleteAsync(caseId, fileId, Teacher);
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
        return fileId;
    }
}
