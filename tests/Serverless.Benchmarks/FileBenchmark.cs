using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Cases;
using Serverless.Files.Storage;
using Serverless.Files.Upload;
using Serverless.Files.Validation;
using Serverless.Identity;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// A 25 MB file through the function path: its upload against a bare <see cref="BlobClient"/> upload of the same file
/// to the same Azurite (target: at least 0.9 of its throughput), the peak memory above idle while uploading, validating
/// and downloading it (target under 16 MB each), and the storage operations of each step. The file is read from disk
/// and the download written to nowhere, so the figures are the app's, not the client's buffers.
/// </summary>
public static class FileBenchmark
{
    private const int Runs = 7;
    private const int FileBytes = 25 * 1000 * 1000;

    public static async Task RunAsync(TextWriter output)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var caseId = await CaseAsync(host);
        var path = Path.Combine(Path.GetTempPath(), $"bench-file-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, ScannedPdf(FileBytes));
        try
        {
            var bare = host.Get<StorageClients>().Blobs.GetBlobContainerClient(host.Get<StorageNames>().Container("bench-bare"));
            await bare.CreateIfNotExistsAsync();

            // Operations of one upload, validation and download.
            var before = host.Counter.For("UploadFile");
            var fileId = await UploadAsync(host, caseId, path);
            output.WriteLine("  one 25 MB upload = " + Operations(host, "UploadFile", before));
            before = host.Counter.For("ValidateFile");
            using (StorageOperationCounter.BeginScope("ValidateFile"))
            {
                await host.Get<FileValidationQueue>().ValidateAsync(caseId, fileId, CancellationToken.None);
            }

            output.WriteLine("  its validation (run here directly, as the queue function would) = " + Operations(host, "ValidateFile", before));
            before = host.Counter.For("DownloadFile");
            await DownloadAsync(host, caseId, fileId);
            output.WriteLine("  its download = " + Operations(host, "DownloadFile", before));

            var (api, direct) = await Measure.InterleavedMediansAsync(
                1,
                Runs,
                async _ => await UploadAsync(host, caseId, path),
                async run =>
                {
                    await using var file = File.OpenRead(path);
                    await bare.GetBlobClient($"bare-{run}").UploadAsync(file, new BlobUploadOptions { TransferOptions = FileUploads.Transfer });
                });
            output.WriteLine($"25 MB upload: API {api:F0} ms, bare BlobClient {direct:F0} ms (same 4 MiB blocks, two in flight); API ÷ bare throughput {direct / api:F2} (target ≥ 0.9)");
            var tinyPath = path + ".tiny.pdf";
            await File.WriteAllBytesAsync(tinyPath, ScannedPdf(2000));
            var tiny = await Measure.MedianMillisecondsAsync(1, Runs, async _ => await UploadAsync(host, caseId, tinyPath));
            File.Delete(tinyPath);
            output.WriteLine($"  a 2 KB upload takes {tiny:F0} ms (sign-in, audit, rows, queue: what every upload pays whatever its size); the 25 MB upload less that: {api - tiny:F0} ms, ÷ bare {direct / (api - tiny):F2}");

            var uploadPeak = await PeakAboveIdleAsync(() => UploadAsync(host, caseId, path));
            var validated = await UploadAsync(host, caseId, path);
            var validationPeak = await PeakAboveIdleAsync(() => host.Get<FileValidationQueue>().ValidateAsync(caseId, validated, CancellationToken.None));
            var downloadPeak = await PeakAboveIdleAsync(() => DownloadAsync(host, caseId, validated));
            output.WriteLine($"peak memory above idle, 25 MB file (managed heap / working set): upload {uploadPeak}, validation {validationPeak}, download {downloadPeak} (target < 16 MB each)");

            // A direct upload's bytes never pass through the app: a client puts them into quarantine with its upload
            // address. What the app spends on a 100 MB file is its validation, and then its download.
            var large = Path.Combine(Path.GetTempPath(), $"bench-file-{Guid.NewGuid():N}-100.pdf");
            await File.WriteAllBytesAsync(large, ScannedPdf(100 * 1000 * 1000));
            try
            {
                var directId = await QuarantinedDirectlyAsync(host, caseId, large);
                var directValidation = await PeakAboveIdleAsync(() => host.Get<FileValidationQueue>().ValidateAsync(caseId, directId, CancellationToken.None));
                var directDownload = await PeakAboveIdleAsync(() => DownloadAsync(host, caseId, directId));
                output.WriteLine($"peak memory above idle, 100 MB file uploaded directly (managed heap / working set): validation {directValidation}, download {directDownload} (target < 16 MB each)");
            }
            finally
            {
                File.Delete(large);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> UploadAsync(BenchmarkHost host, string caseId, string path)
    {
        await using var file = File.OpenRead(path);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cases/{caseId}/files") { Content = new StreamContent(file) };
        request.Headers.TryAddWithoutValidation("X-File-Name", Uri.EscapeDataString("スキャンした記録.pdf"));
        using var response = await host.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return response.StatusCode == HttpStatusCode.Accepted ? (string)body["fileId"]! : throw new InvalidOperationException(body.ToJsonString());
    }

    /// <summary>A file as a direct upload leaves it: its row (route direct) and its bytes in quarantine, put there
    /// by a client with the same blocks the SDK uses, then marked quarantined as completing it does.</summary>
    private static async Task<string> QuarantinedDirectlyAsync(BenchmarkHost host, string caseId, string path)
    {
        var files = host.Get<CaseFiles>();
        var uploader = new FileUploader("person", Serverless.DevHost.DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka");
        var file = await files.AddAsync(new StoredFile(caseId, FileIds.New(), FileState.Receiving, Serverless.Files.UploadRoute.Direct, DateTimeOffset.UtcNow, uploader, "大きな記録.pdf", new FileInfo(path).Length), CancellationToken.None);
        var quarantine = host.Get<StorageClients>().Blobs.GetBlobContainerClient(host.Get<StorageNames>().Container(FileBlobs.Quarantine));
        await using (var content = File.OpenRead(path))
        {
            await quarantine.GetBlobClient(FileBlobs.Name(caseId, file.FileId)).UploadAsync(content, new BlobUploadOptions { TransferOptions = FileUploads.Transfer });
        }

        await files.ReplaceAsync(file with { State = FileState.Quarantined, ReceivedLength = file.DeclaredLength }, CancellationToken.None);
        return file.FileId;
    }

    private static async Task DownloadAsync(BenchmarkHost host, string caseId, string fileId)
    {
        using var response = await host.Client.GetAsync($"api/cases/{caseId}/files/{fileId}/content", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var content = await response.Content.ReadAsStreamAsync();
        await content.CopyToAsync(Stream.Null);
    }

    /// <summary>The highest managed heap and working set seen (sampled every 2 ms) while <paramref name="operation"/> runs,
    /// above what they were just before it, after a full collection.</summary>
    private static async Task<string> PeakAboveIdleAsync(Func<Task> operation)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var idleHeap = GC.GetTotalMemory(false);
        var idleSet = process.WorkingSet64;
        long peakHeap = idleHeap, peakSet = idleSet;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakSet = Math.Max(peakSet, process.WorkingSet64);
                await Task.Delay(2);
            }
        });
        await operation();
        await stop.CancelAsync();
        await sampler;
        return $"{(peakHeap - idleHeap) / 1048576.0:F1} / {(peakSet - idleSet) / 1048576.0:F1} MiB";
    }

    private static string Operations(BenchmarkHost host, string scope, IReadOnlyDictionary<string, long> before)
    {
        var after = host.Counter.For(scope);
        var difference = StorageOperationCounter.Difference(before, after);
        return $"{difference.Values.Sum()} operations: " + string.Join(", ", difference.Select(pair => $"{pair.Value} × {pair.Key}"));
    }

    private static async Task<string> CaseAsync(BenchmarkHost host)
    {
        var coordinator = new Caller(Serverless.DevHost.DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka", CallerRole.Coordinator);
        var outcome = await host.Get<CaseService>().CreateAsync(coordinator, new CreateCaseRequest(SyntheticCases.Registered(1, JapanTime.Today(TimeProvider.System))), CancellationToken.None);
        return ((CaseOutcome<CaseView>.Done)outcome).Value.CaseId;
    }

    /// <summary>A PDF of <paramref name="length"/> bytes: one page whose scanned image is random bytes, which validation
    /// accepts as it is.</summary>
    private static byte[] ScannedPdf(int length)
    {
        const string Tail = "\nendstream\nendobj\n2 0 obj\n<< /Type /Catalog /Pages 3 0 R >>\nendobj\n3 0 obj\n<< /Type /Pages /Kids [4 0 R] /Count 1 >>\nendobj\n4 0 obj\n<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>\nendobj\ntrailer\n<< /Size 5 /Root 2 0 R >>\n%%EOF\n";
        static string Head(int image) => $"%PDF-1.7\n1 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length {image} >>\nstream\n";
        var image = length - Tail.Length - Head(length).Length;
        var bytes = new byte[image];
        new Random(3).NextBytes(bytes);
        return [.. Encoding.ASCII.GetBytes(Head(image)), .. bytes, .. Encoding.ASCII.GetBytes(Tail)];
    }
}
