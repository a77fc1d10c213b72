using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Time.Testing;
using Serverless.Files.Storage;
using Serverless.Ops;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Files;
using Serverless.Tests.Files.Api;
using Serverless.Tests.Infrastructure;
using Xunit.Abstractions;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Ops;

/// <summary>
/// <c>backup</c> then <c>restore</c> (the ops tool, in-process, as <see cref="BackupRestoreTests"/> runs it) of an instance
/// holding files in every state: each blob of the quarantine and files containers comes back byte for byte, each file
/// row and pending pointer property for property, and an app over the restored storage serves the same bytes.
/// </summary>
public sealed class FileRestoreTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("serverless-file-restore-tests-").FullName;

    [Fact]
    public async Task ARestoreReturnsEveryFileByteForByteWithItsRowAndPointer()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var sent = new Dictionary<string, byte[]>
        {
            ["letter"] = TestPdfs.Letter(),
            ["scan"] = TestPdfs.OfLength(9 * 1024 * 1024 + 17, seed: 11), // more than two blocks, and not a whole number of them
            ["photo"] = TestPhotos.PhoneJpeg(),
            ["quarantined"] = TestPdfs.OfLength(200 * 1024, seed: 12),
        };
        var ids = new Dictionary<string, string>();
        foreach (var (label, bytes) in sent)
        {
            ids[label] = await api.UploadIdAsync(caseId, bytes, label + "の資料");
        }

        foreach (var label in new[] { "letter", "scan", "photo" })
        {
            Assert.Equal(FileState.Ready, await api.ValidateAsync(caseId, ids[label]));
        }

        var report = Report();
        report["files"] = new JsonArray(ids["letter"], ids["scan"]);
        await api.ReportIdAsync(caseId, report, Teacher);
        using var rsa = RSA.Create(3072);
        var publicKey = Path.Combine(work, "coordinator.pub.pem");
        var privateKey = Path.Combine(work, "coordinator.pem");
        await File.WriteAllTextAsync(publicKey, rsa.ExportSubjectPublicKeyInfoPem());
        await File.WriteAllTextAsync(privateKey, rsa.ExportPkcs8PrivateKeyPem());
        var backups = Path.Combine(work, "backups");
        var target = TestStorage.NewPrefix();

        var backup = await OpsTool.RunAsync(api.Host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", publicKey, "--to-directory", backups);
        var restore = await OpsTool.RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", backups, "--private-key", privateKey);

        Assert.True(backup.ExitCode == ExitCodes.Ok, backup.Error);
        Assert.True(restore.ExitCode == ExitCodes.Ok, restore.Error);
        output.WriteLine(BackupRestoreTests.FirstLine(backup.Output));
        output.WriteLine(BackupRestoreTests.FirstLine(restore.Output));
        var source = await BlobsAsync(api.Host.Prefix);
        var restored = await BlobsAsync(target);
        string[] expected = [.. new[] { "letter", "scan", "photo" }.Select(label => $"{FileBlobs.Files}/{FileBlobs.Name(caseId, ids[label])}"), $"{FileBlobs.Files}/{FileBlobs.ThumbnailName(caseId, ids["photo"])}", $"{FileBlobs.Quarantine}/{FileBlobs.Name(caseId, ids["quarantined"])}"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), source.Keys);
        Assert.Equal(source.Keys, restored.Keys);
        foreach (var (name, (contentType, bytes)) in source)
        {
            Assert.Equal(contentType, restored[name].ContentType);
            Assert.True(bytes.AsSpan().SequenceEqual(restored[name].Bytes), $"{name}: {bytes.Length} bytes backed up, {restored[name].Bytes.Length} restored, not the same");
        }

        Assert.Equal(sent["quarantined"], restored[$"{FileBlobs.Quarantine}/{FileBlobs.Name(caseId, ids["quarantined"])}"].Bytes);
        Assert.Equal(sent["letter"], restored[$"{FileBlobs.Files}/{FileBlobs.Name(caseId, ids["letter"])}"].Bytes);
        Assert.Equal(sent["scan"], restored[$"{FileBlobs.Files}/{FileBlobs.Name(caseId, ids["scan"])}"].Bytes);
        var rows = await FileLinesAsync(api.Host, api.Host.Prefix);
        Assert.Equal(4, rows.Count(line => line.StartsWith("table|Cases|", StringComparison.Ordinal)));
        Assert.Equal(2, rows.Count(line => line.StartsWith($"table|{CaseFiles.PendingTable}|", StringComparison.Ordinal))); // the photo and the quarantined file, attached to nothing
        Assert.Equal(rows, await FileLinesAsync(api.Host, target));

        // The app over the restored storage serves each ready file as it stored it, its digest as its row says.
        await using var app = await TestHost.StartAsync(clock: new FakeTimeProvider(CaseApi.Now), settings: new Dictionary<string, string> { ["Storage:NamePrefix"] = target });
        foreach (var label in new[] { "letter", "scan", "photo" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/cases/{caseId}/files/{ids[label]}/content");
            app.SignIn(request, Teacher);
            using var download = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            var served = await download.Content.ReadAsByteArrayAsync();
            Assert.True(served.AsSpan().SequenceEqual(source[$"{FileBlobs.Files}/{FileBlobs.Name(caseId, ids[label])}"].Bytes), $"{label} served differently after the restore");
            Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(served))}\"", download.Headers.ETag?.ToString());
        }
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    /// <summary>Every blob of the two file containers under <paramref name="prefix"/>: content type and bytes, by container and name.</summary>
    private static async Task<SortedDictionary<string, (string? ContentType, byte[] Bytes)>> BlobsAsync(string prefix)
    {
        var clients = TestStorage.Clients(prefix);
        var names = TestStorage.Names(prefix);
        var blobs = new SortedDictionary<string, (string?, byte[])>(StringComparer.Ordinal);
        foreach (var container in new[] { FileBlobs.Files, FileBlobs.Quarantine })
        {
            var client = clients.Blobs.GetBlobContainerClient(names.Container(container));
            await foreach (var blob in client.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
            {
                var download = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value;
                blobs.Add($"{container}/{blob.Name}", (download.Details.ContentType, download.Content.ToArray()));
            }
        }

        return blobs;
    }

    /// <summary>The file rows of the Cases table and the pending pointers, every property with its type (as
    /// <see cref="BackupRestoreTests.SnapshotAsync"/> writes them).</summary>
    private static async Task<List<string>> FileLinesAsync(TestHost host, string prefix)
        => [.. (await BackupRestoreTests.SnapshotAsync(host, prefix)).Where(line =>
            line.StartsWith($"table|{CaseFiles.PendingTable}|", StringComparison.Ordinal)
            || (line.StartsWith("table|Cases|", StringComparison.Ordinal) && line.Split('|')[3].StartsWith(FileEntity.RowPrefix, StringComparison.Ordinal)))];
}
