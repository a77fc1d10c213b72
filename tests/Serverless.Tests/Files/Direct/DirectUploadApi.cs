using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Serverless.Files.Direct;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Files.Direct;

/// <summary>
/// The direct upload as a client uses it, over a <see cref="CaseApi"/> whose blobs are on the Azurite that speaks OAuth
/// over HTTPS (<see cref="OAuthAzurite"/>): the app's blob client holds a bearer token, as the managed identity does in
/// Azure, so storage gives it user delegation keys; tables and queues stay on the usual Azurite. Addresses are signed
/// by <see cref="AzuriteUploadAddressSigner"/> (the SAS layout Azurite 3.35.0 knows); everything else is the app's own
/// code. The fake clock starts at the real time, since storage checks a SAS against its own clock.
/// </summary>
internal static class DirectUploadApi
{
    public const string StorageVersion = "2025-11-05";

    /// <param name="now">Where the fake clock starts (the real time unless given).</param>
    public static Task<CaseApi> StartAsync(DateTimeOffset? now = null, IReadOnlyDictionary<string, string>? settings = null)
        => CaseApi.StartAsync(settings: settings, now: now ?? WholeSeconds(DateTimeOffset.UtcNow), services: services =>
        {
            services.Replace(ServiceDescriptor.Singleton(provider =>
            {
                var usual = new StorageClients(provider.GetRequiredService<IOptions<StorageOptions>>(), provider.GetRequiredService<StorageOperationCounter>());
                return new StorageClients(usual.Tables, usual.Queues, usual.RawQueues, OAuthAzurite.BlobService(), blobsSignInWithToken: true);
            }));
            services.Replace(ServiceDescriptor.Singleton<IUploadAddressSigner, AzuriteUploadAddressSigner>());
        });

    public static Task<HttpResponseMessage> StartUploadAsync(this CaseApi api, string caseId, JsonNode body, string? person = Teacher, string? key = null)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files/direct", person, CaseApi.Json(body), request => Credentials(request, key, null));

    public static Task<HttpResponseMessage> StartUploadAsync(this CaseApi api, string caseId, string name, long size, string? person = Teacher, string? key = null)
        => api.StartUploadAsync(caseId, new JsonObject { ["name"] = name, ["size"] = size }, person, key);

    /// <summary>Starts an upload that must succeed; returns its file id and address.</summary>
    public static async Task<(string FileId, Uri UploadUrl, JsonObject Body)> StartedAsync(this CaseApi api, string caseId, string name, long size, string? person = Teacher, string? key = null)
    {
        using var response = await api.StartUploadAsync(caseId, name, size, person, key);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return ((string)body["fileId"]!, new Uri((string)body["uploadUrl"]!), body);
    }

    public static Task<HttpResponseMessage> BlocksAsync(this CaseApi api, string caseId, string fileId, string? person = Teacher, string? key = null)
        => api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/blocks", person, arrange: request => Credentials(request, key, null));

    public static Task<HttpResponseMessage> RenewAsync(this CaseApi api, string caseId, string fileId, string? person = Teacher, string? key = null)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files/{fileId}/upload-url", person, arrange: request => Credentials(request, key, null));

    public static Task<HttpResponseMessage> CompleteAsync(this CaseApi api, string caseId, string fileId, string? person = Teacher, string? key = null)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files/{fileId}/complete", person, arrange: request => Credentials(request, key, null));

    /// <summary>Put Block as a browser sends it: the address, the block id, the bytes, the service version. Nothing else.</summary>
    public static async Task<HttpResponseMessage> PutBlockAsync(HttpClient browser, Uri uploadUrl, string blockId, ReadOnlyMemory<byte> content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{uploadUrl}&comp=block&blockid={Uri.EscapeDataString(blockId)}")
        {
            Content = new ReadOnlyMemoryContent(content),
        };
        request.Headers.Add("x-ms-version", StorageVersion);
        return await browser.SendAsync(request);
    }

    /// <summary>Put Block List: the blocks, in order, become the blob.</summary>
    public static async Task<HttpResponseMessage> PutBlockListAsync(HttpClient browser, Uri uploadUrl, IEnumerable<string> blockIds)
    {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>" + string.Concat(blockIds.Select(id => $"<Latest>{id}</Latest>")) + "</BlockList>";
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{uploadUrl}&comp=blocklist") { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };
        request.Headers.Add("x-ms-version", StorageVersion);
        return await browser.SendAsync(request);
    }

    /// <summary>Sends <paramref name="content"/> in blocks of <paramref name="blockSize"/> through the address (the SDK
    /// client holding nothing but it) and commits them; returns the block ids.</summary>
    public static async Task<IReadOnlyList<string>> UploadAsync(Uri uploadUrl, byte[] content, int blockSize = DirectUploads.BlockSize)
    {
        var client = OAuthAzurite.SasBlockBlob(uploadUrl);
        var ids = new List<string>();
        for (var offset = 0; offset < content.Length; offset += blockSize)
        {
            var id = BlockId(ids.Count);
            using var block = new MemoryStream(content, offset, Math.Min(blockSize, content.Length - offset));
            await client.StageBlockAsync(id, block);
            ids.Add(id);
        }

        await client.CommitBlockListAsync(ids);
        return ids;
    }

    /// <summary>Block ids of one length (storage requires it within a blob): base64 of <c>block-000000</c> and on.</summary>
    public static string BlockId(int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"block-{index:D6}"));

    /// <summary>An accepted PDF of about <paramref name="length"/> bytes: random image data in one stream, then a page.</summary>
    public static byte[] Pdf(int length, int seed = 5)
    {
        var letter = TestPdfs.Letter();
        var image = new byte[length - 128 - letter.Length];
        new Random(seed).NextBytes(image);
        var start = Encoding.ASCII.GetBytes($"%PDF-1.7\n1 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length {image.Length} >>\nstream\n");
        return [.. start, .. image, .. "\nendstream\nendobj\n"u8, .. letter[9..]];
    }

    /// <summary>The query of a SAS URL, parameter by parameter.</summary>
    public static Dictionary<string, string> Query(Uri url)
        => url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(part => part[0], part => Uri.UnescapeDataString(part[1]), StringComparer.Ordinal);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static DateTimeOffset WholeSeconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static BlobContainerClient Quarantine(this CaseApi api) => api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(Serverless.Files.Storage.FileBlobs.Quarantine));
}

/// <summary>
/// The tests' signer: the same grant as <see cref="SdkUploadAddressSigner"/> (Create and Write on one blob, HTTPS, from
/// a minute back), signed for service version 2025-11-05 by <see cref="UserDelegationSas"/>, because Azurite 3.35.0
/// refuses the 2026-10-06 SAS the SDK signs (docs/direct-upload-local.md). <c>SdkUploadAddressSignerTests</c> checks
/// what the SDK signer grants.
/// </summary>
internal sealed class AzuriteUploadAddressSigner : IUploadAddressSigner
{
    public Uri Sign(BlobClient blob, UserDelegationKey key, DateTimeOffset startsOn, DateTimeOffset expiresOn)
        => UserDelegationSas.For(blob, key, SdkUploadAddressSigner.Permissions, expiresOn, startsOn, httpsOnly: true);
}
