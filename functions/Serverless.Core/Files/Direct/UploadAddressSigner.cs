using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace Serverless.Files.Direct;

/// <summary>
/// Signs a direct upload's address: a user delegation SAS that lets its holder create and write exactly one blob
/// (<c>sp=cw</c>, <c>sr=b</c>) over HTTPS from <paramref name="startsOn"/> to <paramref name="expiresOn"/>, and
/// nothing else: no read, no list, no other blob. A seam only so the tests can sign for the service version their
/// Azurite knows (docs/direct-upload-local.md); the app signs with <see cref="SdkUploadAddressSigner"/>.
/// </summary>
public interface IUploadAddressSigner
{
    Uri Sign(BlobClient blob, UserDelegationKey key, DateTimeOffset startsOn, DateTimeOffset expiresOn);
}

/// <summary>
/// The SDK's <see cref="BlobSasBuilder"/>: a well-kept implementation of a string to sign that changes with the
/// service version (Azure.Storage.Blobs 12.30.1 signs for 2026-10-06, which Azure accepts). Permissions are Create and
/// Write: a Put Block needs Write for SAS versions before 2026-04-06 (and on Azurite), and Create alone would let the
/// client commit only once.
/// </summary>
public sealed class SdkUploadAddressSigner : IUploadAddressSigner
{
    public const BlobSasPermissions Permissions = BlobSasPermissions.Create | BlobSasPermissions.Write;

    public Uri Sign(BlobClient blob, UserDelegationKey key, DateTimeOffset startsOn, DateTimeOffset expiresOn)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var builder = new BlobSasBuilder(Permissions, expiresOn)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = startsOn,
            Protocol = SasProtocol.Https,
        };
        return new BlobUriBuilder(blob.Uri) { Sas = builder.ToSasQueryParameters(key, blob.AccountName) }.ToUri();
    }
}
