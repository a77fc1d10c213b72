using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Files.Direct;

/// <summary>
/// Spike for the direct upload: the API hands the client a user delegation SAS for one blob of a quarantine container
/// (Create and Write, a few minutes); the client uploads in blocks with nothing else. Run against the Azurite with
/// OAuth over HTTPS (<see cref="OAuthAzurite"/>), with the real SDK. Where Azurite 3.35.0 differs from Azure, the test
/// says so and asserts what Azurite does (docs/direct-upload-local.md lists every difference).
/// </summary>
public sealed class DirectUploadSasTests : IAsyncLifetime
{
    private const string AppOrigin = "https://kodomo-app.example";
    private static readonly BlobSasPermissions Upload = BlobSasPermissions.Create | BlobSasPermissions.Write;

    private readonly BlobServiceClient _service = OAuthAzurite.BlobService();
    private readonly BlobContainerClient _quarantine;

    public DirectUploadSasTests() => _quarantine = _service.GetBlobContainerClient($"{TestStorage.NewPrefix()}-quarantine");

    public async Task InitializeAsync() => await _quarantine.CreateAsync();

    public async Task DisposeAsync() => await _quarantine.DeleteIfExistsAsync();

    [Fact]
    public async Task TheAppGetsAUserDelegationKeyForItsBearerToken()
    {
        var credential = new OAuthAzurite.UnsignedTokenCredential();
        var expiresOn = DateTimeOffset.UtcNow.AddMinutes(10);

        UserDelegationKey key = await OAuthAzurite.BlobService(credential).GetUserDelegationKeyAsync(
            new BlobGetUserDelegationKeyOptions(expiresOn) { StartsOn = DateTimeOffset.UtcNow.AddMinutes(-1) });

        Assert.Equal(credential.ObjectId.ToString(), key.SignedObjectId);
        Assert.Equal(credential.TenantId.ToString(), key.SignedTenantId);
        Assert.Equal("b", key.SignedService);
        Assert.NotEmpty(key.Value);
    }

    [Fact]
    public async Task OnAzuriteAUserDelegationKeyNeedsAStartTime()
    {
        // The SDK leaves <Start> out when StartsOn is null; Azurite 3.35.0 refuses that with an empty 400
        // ("KeyInfo.Start cannot be null or undefined" in its debug log): the app must always send a start.
        var refused = await Assert.ThrowsAsync<RequestFailedException>(
            () => _service.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(DateTimeOffset.UtcNow.AddMinutes(10))));

        Assert.Equal(400, refused.Status);
    }

    [Fact]
    public async Task OnAzuriteTheSdksOwnUserDelegationSasIsRefused()
    {
        // BlobSasBuilder (12.30.1) signs for 2026-10-06, two fields longer than the 2025-07-05 layout Azurite 3.35.0
        // verifies: the signatures differ, and even an allowed Put Block is refused. The tests here sign with UserDelegationSas.
        var blob = _quarantine.GetBlockBlobClient("case-1/upload-1");
        var expiresOn = DateTimeOffset.UtcNow.AddMinutes(5);
        var builder = new BlobSasBuilder(Upload, expiresOn) { BlobContainerName = blob.BlobContainerName, BlobName = blob.Name, Resource = "b" };
        var sas = new BlobUriBuilder(blob.Uri) { Sas = builder.ToSasQueryParameters(await KeyAsync(expiresOn), _service.AccountName) }.ToUri();

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => OAuthAzurite.SasBlockBlob(sas).StageBlockAsync(BlockId(1), Content("block")));

        Assert.Contains("sv=2026-10-06&", sas.Query, StringComparison.Ordinal);
        Assert.Equal((403, "AuthorizationFailure"), (refused.Status, refused.ErrorCode));
    }

    [Fact]
    public async Task TheSasSignedForAzuriteDiffersFromTheSdksOnlyInVersionAndTwoEmptyFields()
    {
        var blob = _quarantine.GetBlockBlobClient("case-1/upload-1");
        var expiresOn = DateTimeOffset.UtcNow.AddMinutes(5);
        var key = await KeyAsync(expiresOn);
        var builder = new BlobSasBuilder(Upload, expiresOn) { BlobContainerName = blob.BlobContainerName, BlobName = blob.Name, Resource = "b" };
        builder.ToSasQueryParameters(key, _service.AccountName, out var sdkStringToSign);

        var sdk = sdkStringToSign.Split('\n');
        var ours = UserDelegationSas.StringToSign(blob, key, "cw", UserDelegationSas.Time(expiresOn)).Split('\n');

        // The same permissions, expiry, resource, key and protocol fields; then the version; then the resource type and
        // fields all empty here, two more of them in the SDK's (RequestHeaders and RequestQueryParameters, new in 2026).
        Assert.Equal(ours[..17], sdk[..17]);
        Assert.Equal(("2026-10-06", UserDelegationSas.Version), (sdk[17], ours[17]));
        Assert.Equal(("b", "b"), (sdk[18], ours[18]));
        Assert.Equal((ours.Length + 2, true), (sdk.Length, sdk[19..].Concat(ours[19..]).All(field => field.Length == 0)));
    }

    [Fact]
    public async Task AnUploadSasLetsAClientWithNothingElsePutBlocksAndCommitThem()
    {
        var blob = _quarantine.GetBlockBlobClient("case-1/upload-1");
        var client = OAuthAzurite.SasBlockBlob(await SasAsync(blob, Upload, DateTimeOffset.UtcNow.AddMinutes(5)));

        await client.StageBlockAsync(BlockId(1), Content("first block, "));
        await client.StageBlockAsync(BlockId(2), Content("second block"));
        await client.CommitBlockListAsync([BlockId(1), BlockId(2)]);

        var stored = await blob.DownloadContentAsync();
        Assert.Equal("first block, second block", stored.Value.Content.ToString());
    }

    [Fact]
    public async Task AnUploadSasCannotReadTheBlobItWrote()
    {
        var blob = _quarantine.GetBlockBlobClient("case-1/upload-1");
        var client = OAuthAzurite.SasBlockBlob(await SasAsync(blob, Upload, DateTimeOffset.UtcNow.AddMinutes(5)));
        await client.StageBlockAsync(BlockId(1), Content("secret"));
        await client.CommitBlockListAsync([BlockId(1)]);

        var download = await Assert.ThrowsAsync<RequestFailedException>(() => client.DownloadContentAsync());
        var properties = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetPropertiesAsync());

        Assert.Equal((403, "AuthorizationPermissionMismatch"), (download.Status, download.ErrorCode));
        Assert.Equal(403, properties.Status);
    }

    [Fact]
    public async Task AnUploadSasCannotWriteAnotherBlob()
    {
        var sas = await SasAsync(_quarantine.GetBlockBlobClient("case-1/upload-1"), Upload, DateTimeOffset.UtcNow.AddMinutes(5));
        var elsewhere = OAuthAzurite.SasBlockBlob(new BlobUriBuilder(sas) { BlobName = "case-1/upload-2" }.ToUri());

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => elsewhere.StageBlockAsync(BlockId(1), Content("overwrite")));

        // The blob name is part of the signed string, so another name is a signature mismatch.
        Assert.Equal((403, "AuthorizationFailure"), (refused.Status, refused.ErrorCode));
        Assert.False(await _quarantine.GetBlobClient("case-1/upload-2").ExistsAsync());
    }

    [Fact]
    public async Task AddingReadToTheSasInTheUrlBreaksItsSignature()
    {
        var blob = _quarantine.GetBlockBlobClient("case-1/upload-1");
        var sas = await SasAsync(blob, Upload, DateTimeOffset.UtcNow.AddMinutes(5));
        await OAuthAzurite.SasBlockBlob(sas).UploadAsync(Content("secret"));
        Assert.Contains("sp=cw&", sas.Query, StringComparison.Ordinal);

        var widened = OAuthAzurite.SasBlockBlob(new Uri(sas.ToString().Replace("sp=cw&", "sp=rcw&", StringComparison.Ordinal)));
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => widened.DownloadContentAsync());

        Assert.Equal((403, "AuthorizationFailure"), (refused.Status, refused.ErrorCode));
    }

    [Fact]
    public async Task AnUploadSasIsRefusedOnceExpired()
    {
        // SAS times are whole seconds: the SAS is used well within its life, then a second and a half after it.
        var expiresOn = DateTimeOffset.UtcNow.AddSeconds(3);
        var client = OAuthAzurite.SasBlockBlob(await SasAsync(_quarantine.GetBlockBlobClient("case-1/upload-1"), Upload, expiresOn));
        await client.StageBlockAsync(BlockId(1), Content("in time"));

        await Task.Delay(expiresOn.AddSeconds(1.5) - DateTimeOffset.UtcNow);
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => client.StageBlockAsync(BlockId(2), Content("too late")));

        Assert.Equal((403, "AuthorizationFailure"), (refused.Status, refused.ErrorCode));
    }

    [Fact]
    public async Task AnUploadSasCannotListTheBlocksButTheAppCan()
    {
        var blob = _quarantine.GetBlockBlobClient("case-1/upload-1");
        var client = OAuthAzurite.SasBlockBlob(await SasAsync(blob, Upload, DateTimeOffset.UtcNow.AddMinutes(5)));
        await client.StageBlockAsync(BlockId(1), Content("sent before the connection dropped"));

        // Get Block List needs Read, in Azure as in Azurite: a client resuming with the upload SAS alone must
        // remember its blocks (or send them again: a block staged twice under one id is replaced), or ask the app.
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetBlockListAsync(BlockListTypes.Uncommitted));
        BlockList blocks = await blob.GetBlockListAsync(BlockListTypes.Uncommitted);

        Assert.Equal((403, "AuthorizationPermissionMismatch"), (refused.Status, refused.ErrorCode));
        Assert.Equal([(BlockId(1), 34L)], blocks.UncommittedBlocks.Select(block => (block.Name, block.SizeLong)));
    }

    [Fact]
    public async Task AnUploadSasWithReadCanListTheBlocksToResume()
    {
        var blob = _quarantine.GetBlockBlobClient("case-1/upload-1");
        var client = OAuthAzurite.SasBlockBlob(await SasAsync(blob, Upload | BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(5)));
        await client.StageBlockAsync(BlockId(1), Content("first"));

        BlockList blocks = await client.GetBlockListAsync(BlockListTypes.Uncommitted);
        await client.StageBlockAsync(BlockId(2), Content(" second"));
        await client.CommitBlockListAsync([.. blocks.UncommittedBlocks.Select(block => block.Name), BlockId(2)]);

        Assert.Equal("first second", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task OnAzuriteACreateOnlySasCannotPutABlock()
    {
        // Azurite 3.35.0 asks Write for Put Block and Put Block List (OperationBlobSASPermission.js). Azure accepts Create
        // for them from service version 2026-04-06 on; a Create-only SAS cannot overwrite a committed blob there.
        var client = OAuthAzurite.SasBlockBlob(
            await SasAsync(_quarantine.GetBlockBlobClient("case-1/upload-1"), BlobSasPermissions.Create, DateTimeOffset.UtcNow.AddMinutes(5)));

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => client.StageBlockAsync(BlockId(1), Content("block")));

        Assert.Equal((403, "AuthorizationPermissionMismatch"), (refused.Status, refused.ErrorCode));
    }

    [Fact]
    public async Task BlobCorsLetsTheAppsOriginPreflightAnUploadAndNoOtherOrigin()
    {
        await AllowTheAppsOriginAsync();
        var sas = await SasAsync(_quarantine.GetBlockBlobClient("case-1/upload-1"), Upload, DateTimeOffset.UtcNow.AddMinutes(5));
        using var browser = OAuthAzurite.AnonymousHttpClient();

        using var allowed = await browser.SendAsync(Preflight(sas, AppOrigin, "x-ms-version,content-type"));
        using var otherOrigin = await browser.SendAsync(Preflight(sas, "https://elsewhere.example", "x-ms-version,content-type"));
        using var otherHeader = await browser.SendAsync(Preflight(sas, AppOrigin, "x-ms-version,x-ms-meta-name"));

        Assert.Equal(200, (int)allowed.StatusCode);
        Assert.Equal([AppOrigin], Values(allowed, "Access-Control-Allow-Origin"));
        Assert.Equal(["PUT"], Values(allowed, "Access-Control-Allow-Methods"));
        Assert.Equal(["x-ms-version", "content-type"], Values(allowed, "Access-Control-Allow-Headers"));
        Assert.Equal(["300"], Values(allowed, "Access-Control-Max-Age"));
        Assert.Equal((403, "CorsPreflightFailure"), ((int)otherOrigin.StatusCode, ErrorCode(otherOrigin)));
        Assert.Empty(Values(otherOrigin, "Access-Control-Allow-Origin"));
        Assert.Equal((403, "CorsPreflightFailure"), ((int)otherHeader.StatusCode, ErrorCode(otherHeader)));
    }

    [Fact]
    public async Task APutBlockFromTheAppsOriginGetsTheCorsHeadersABrowserNeeds()
    {
        await AllowTheAppsOriginAsync();
        var blob = _quarantine.GetBlockBlobClient("case-1/upload-1");
        var sas = await SasAsync(blob, Upload, DateTimeOffset.UtcNow.AddMinutes(5));
        using var browser = OAuthAzurite.AnonymousHttpClient();

        using var putBlock = new HttpRequestMessage(HttpMethod.Put, $"{sas}&comp=block&blockid={Uri.EscapeDataString(BlockId(1))}")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("from the browser")),
        };
        putBlock.Headers.Add("Origin", AppOrigin);
        putBlock.Headers.Add("x-ms-version", "2025-11-05");
        using var response = await browser.SendAsync(putBlock);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal([AppOrigin], Values(response, "Access-Control-Allow-Origin"));
        Assert.Contains("x-ms-request-id", Values(response, "Access-Control-Expose-Headers"));
        Assert.Equal([BlockId(1)], (await blob.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks.Select(block => block.Name));
    }

    /// <summary>
    /// The rule the app will set on the storage account. Service properties belong to the account, shared by every test
    /// of this Azurite: only this class sets CORS, and its tests run one at a time, each setting the same rule.
    /// </summary>
    private async Task AllowTheAppsOriginAsync()
    {
        var properties = (await _service.GetPropertiesAsync()).Value;
        properties.Cors =
        [
            new BlobCorsRule
            {
                AllowedOrigins = AppOrigin,
                AllowedMethods = "PUT,OPTIONS",
                AllowedHeaders = "x-ms-blob-type,x-ms-version,content-type,content-length,x-ms-blob-content-type",
                ExposedHeaders = "x-ms-request-id",
                MaxAgeInSeconds = 300,
            },
        ];
        await _service.SetPropertiesAsync(properties);
    }

    /// <summary>What the API will hand out: a user delegation SAS for exactly <paramref name="blob"/>, in the layout Azurite knows.</summary>
    private async Task<Uri> SasAsync(BlockBlobClient blob, BlobSasPermissions permissions, DateTimeOffset expiresOn)
        => UserDelegationSas.For(blob, await KeyAsync(expiresOn.AddMinutes(1)), permissions, expiresOn);

    /// <summary>A start is always sent: Azurite refuses a key request without one (see <see cref="OnAzuriteAUserDelegationKeyNeedsAStartTime"/>).</summary>
    private async Task<UserDelegationKey> KeyAsync(DateTimeOffset expiresOn)
        => await _service.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(expiresOn) { StartsOn = DateTimeOffset.UtcNow.AddMinutes(-1) });

    private static HttpRequestMessage Preflight(Uri sas, string origin, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, sas);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "PUT");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    /// <summary>A header's comma-separated values, however the server spaced them; none when it is absent.</summary>
    private static string[] Values(HttpResponseMessage response, string header)
        => response.Headers.TryGetValues(header, out var values)
            ? [.. values.SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))]
            : [];

    private static string? ErrorCode(HttpResponseMessage response)
        => response.Headers.TryGetValues("x-ms-error-code", out var codes) ? codes.Single() : null;

    private static string BlockId(int number) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"block-{number:D6}"));

    private static MemoryStream Content(string text) => new(Encoding.UTF8.GetBytes(text));
}
