using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Serverless.Files.Storage;
using Serverless.Files.Upload;
using Serverless.Files.Validation;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Files.Api;

/// <summary>
/// The exact storage operations of an upload through the function, of its validation, and of a download, whole and
/// a byte range, for a small file and a large one. Beside what every signed-in request costs (the person's partition,
/// the audit's intent and outcome), an upload costs the gate's read, the pointer and the row, the bytes, the row's
/// update and one queue message. The bytes go as blocks of at most 4 MiB, two in flight, and a block list
/// (<see cref="FileUploads.Transfer"/>), a small file too: the request body is read forward only, so the SDK cannot
/// know it would fit one Put Blob. Validation reads the quarantined copy once and writes the accepted one from its
/// spooled (seekable) copy: one Put Blob up to 4 MiB. A download costs the gate's read, the file's row, its entry's
/// versions and one Get Blob, whatever the size and whether whole or a range.
/// </summary>
public sealed class FileStorageOperationTests(ITestOutputHelper output)
{
    private const int Kilobyte = 1024;
    private const int Megabyte = 1024 * 1024;
    private const int Block = 4 * Megabyte;

    [Theory]
    [InlineData(100 * Kilobyte)]
    [InlineData(10 * Megabyte)]
    public async Task AnUploadAndADownloadCostAFixedSetOfOperationsAndTheBytesGoInFourMegabyteBlocks(int length)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var p = api.Host.Prefix;
        var quarantine = api.Host.Names.Container(FileBlobs.Quarantine);
        var files = api.Host.Names.Container(FileBlobs.Files);
        var content = TestPdfs.OfLength(length);
        var blocks = (length + Block - 1) / Block;
        api.Host.Counter.KeepCalls = true;

        string? fileId = null;
        var upload = await MeasureAsync(api, "UploadFile", async () =>
        {
            var response = await api.UploadAsync(caseId, content, "診断書.pdf", Teacher);
            fileId = (string?)(await CaseApi.BodyAsync(response))["fileId"];
            return response;
        }, HttpStatusCode.Accepted);
        var blockList = (await TestStorage.Clients(p).Blobs.GetBlobContainerClient(quarantine).GetBlockBlobClient(FileBlobs.Name(caseId, fileId!)).GetBlockListAsync(BlockListTypes.All)).Value;
        var inFlight = MostInFlight([.. api.Host.Counter.CallsOf("UploadFile").Where(call => call.Operation.StartsWith("blob ", StringComparison.Ordinal))]);
        var validation = await ValidateMeasuredAsync(api, caseId, fileId!);
        var report = Report();
        report["files"] = new JsonArray(fileId);
        await api.ReportIdAsync(caseId, report, Teacher);
        var whole = await MeasureAsync(api, "DownloadFile", () => api.DownloadAsync(caseId, fileId!, Nurse), HttpStatusCode.OK, served => Assert.Equal(content, served));
        var from = length / 2;
        var part = await MeasureAsync(api, "DownloadFile", () => api.DownloadAsync(caseId, fileId!, Nurse, $"bytes={from}-{from + 999}"), HttpStatusCode.PartialContent, served => Assert.Equal(content[from..(from + 1000)], served));

        output.WriteLine($"{length} bytes: committed blocks {string.Join(", ", blockList.CommittedBlocks.Select(block => block.SizeLong))}; uncommitted {blockList.UncommittedBlocks.Count()}; at most {inFlight} blob calls in flight");
        Print("upload", upload);
        Print("validation", validation);
        Print("download, whole", whole);
        Print("download, 1000-byte range", part);

        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the gate: the case's current row
                [$"table POST {p}{CaseFiles.PendingTable}"] = 1, // the pointer the sweep reads, first
                [$"table POST {p}Cases"] = 1, // the file's row, receiving
                [$"blob PUT {quarantine}/*"] = blocks + 1, // each block, and the block list
                [$"table PUT {p}Cases(key)"] = 1, // the row says quarantined (If-Match)
                [$"queue POST {api.Host.Names.Queue(FileValidationQueue.Queue)}/messages"] = 1, // ids only
            }),
            upload);
        Assert.Equal(Enumerable.Range(0, blocks).Select(i => (long)Math.Min(Block, length - (i * Block))), blockList.CommittedBlocks.Select(block => block.SizeLong));
        Assert.Empty(blockList.UncommittedBlocks);
        Assert.InRange(inFlight, 1, 2);
        Assert.Equal(
            new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the file's row
                [$"blob GET {quarantine}/*"] = 1, // the quarantined bytes, streamed once
                [$"blob PUT {files}/*"] = length <= Block ? 1 : blocks + 1, // the accepted copy: one Put Blob, or the blocks and the list
                [$"table PUT {p}Cases(key)"] = 1, // ready (If-Match)
                [$"blob DELETE {quarantine}/*"] = 1,
            },
            validation);
        var download = SignedInAndAudited(p, new Dictionary<string, long>
        {
            [$"table GET {p}Cases(key)"] = 2, // the gate, and the file's row
            [$"table GET {p}Cases()"] = 1, // the versions of the report it is attached to (who may see it)
            [$"blob GET {files}/*"] = 1, // the content (or its range), streamed from storage
        });
        Assert.Equal(download, whole);
        Assert.Equal(download, part);
    }

    /// <summary>What every signed-in request on one case costs besides its own work (as for entries).</summary>
    private static Dictionary<string, long> SignedInAndAudited(string p, Dictionary<string, long> operations)
        => new(operations)
        {
            [$"table GET {p}People()"] = 1,
            [$"table POST {p}AuditLog"] = 2,
        };

    private async Task<IReadOnlyDictionary<string, long>> MeasureAsync(CaseApi api, string function, Func<Task<HttpResponseMessage>> send, HttpStatusCode expected, Action<byte[]>? check = null)
    {
        var before = api.Host.Counter.For(function);
        using var response = await send();
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        check?.Invoke(body);
        return StorageOperationCounter.Difference(before, api.Host.Counter.For(function));
    }

    /// <summary>The queue's validation, run here under a scope of its own so its operations are counted apart.</summary>
    private static async Task<IReadOnlyDictionary<string, long>> ValidateMeasuredAsync(CaseApi api, string caseId, string fileId)
    {
        const string scope = "ValidateFile";
        var before = api.Host.Counter.For(scope);
        using (StorageOperationCounter.BeginScope(scope))
        {
            Assert.Equal(FileState.Ready, await api.ValidateAsync(caseId, fileId));
        }

        return StorageOperationCounter.Difference(before, api.Host.Counter.For(scope));
    }

    /// <summary>The most calls that were sent and not yet answered at one moment.</summary>
    private static int MostInFlight(IReadOnlyList<StorageOperationCounter.StorageCall> calls)
        => calls.Select(call => calls.Count(other => other.SentAt <= call.SentAt && other.AnsweredAt > call.SentAt)).DefaultIfEmpty(0).Max();

    private void Print(string what, IReadOnlyDictionary<string, long> operations)
    {
        output.WriteLine($"{what}: {operations.Values.Sum()} operations");
        foreach (var (operation, count) in operations.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {count} × {operation}");
        }
    }
}
