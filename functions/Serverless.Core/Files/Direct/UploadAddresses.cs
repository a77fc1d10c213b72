using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Storage;

namespace Serverless.Files.Direct;

/// <summary>A direct upload's address and the instant it stops working (whole seconds, as in the SAS).</summary>
public sealed record UploadAddress(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Hands out upload addresses: a user delegation key from the app's own blob client (the managed identity in Azure),
/// valid exactly as long as the SAS it signs, then the SAS itself (<see cref="IUploadAddressSigner"/>). One key per
/// address: a key request is one storage call per upload, cheap beside the upload, and a key that lives minutes
/// rather than days is worth less to anyone who finds it. Neither the key nor the SAS is ever logged.
/// </summary>
public sealed class UploadAddresses(StorageClients clients, IUploadAddressSigner signer, IOptions<FilesOptions> options, TimeProvider clock, ILogger<UploadAddresses> logger)
{
    /// <summary>Addresses (and their keys) start this long before now, for clocks a little apart.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>False where storage gives the app no user delegation key: a connection string (Azurite's account key,
    /// as <c>tools/Dev start</c> runs), whatever the request.</summary>
    public bool Available => clients.BlobsSignInWithToken;

    /// <summary>An address for <paramref name="blob"/>, valid for <c>Files:DirectUploadMinutes</c> but never past
    /// <paramref name="notAfter"/>; null when storage gives no key (<see cref="Available"/> false, or the identity lacks
    /// the right, which is logged as an error: a deployment fault, not the caller's).</summary>
    public async Task<UploadAddress?> IssueAsync(BlobClient blob, DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        if (!Available)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var startsOn = WholeSeconds(now - ClockSkew);
        var expiresOn = WholeSeconds(Min(now + TimeSpan.FromMinutes(options.Value.DirectUploadMinutes), notAfter));
        UserDelegationKey key;
        try
        {
            // A start is always sent: Azurite refuses a key request without one (docs/direct-upload-local.md).
            key = await clients.Blobs.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(expiresOn) { StartsOn = startsOn }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 401 or 403)
        {
            logger.LogError("Storage refused the app a user delegation key ({Status} {ErrorCode}): direct uploads are unavailable until the app's identity holds a blob data role on the account", ex.Status, ex.ErrorCode);
            return null;
        }

        return new UploadAddress(signer.Sign(blob, key, startsOn, expiresOn), expiresOn);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset WholeSeconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
