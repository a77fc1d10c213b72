using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace Serverless.Tests.Infrastructure;

/// <summary>
/// A user delegation SAS for one blob, signed for service version 2025-11-05, the newest Azurite 3.35.0 knows.
/// <see cref="BlobSasBuilder"/> of Azure.Storage.Blobs 12.30.1 always signs for 2026-10-06 (its <c>Version</c> is
/// ignored), whose string to sign has two more fields (the signed request headers and query parameters), so Azurite
/// 3.35.0 computes another signature and refuses every SAS it makes. This signs the same fields in the 2025-07-05
/// layout (Microsoft's "Create a user delegation SAS"; Azurite's IBlobSASSignatureValues.js), which Azure accepts too.
/// </summary>
public static class UserDelegationSas
{
    public const string Version = "2025-11-05";

    /// <summary><paramref name="blob"/>'s URI with a SAS granting <paramref name="permissions"/> until <paramref name="expiresOn"/>
    /// (from <paramref name="startsOn"/>, and over HTTPS only, when given).</summary>
    public static Uri For(BlobBaseClient blob, UserDelegationKey key, BlobSasPermissions permissions, DateTimeOffset expiresOn, DateTimeOffset? startsOn = null, bool httpsOnly = false)
    {
        // The builder puts the permission letters in the order the service requires ("rcw", never "wcr").
        var signedPermissions = new BlobSasBuilder(permissions, expiresOn).Permissions;
        var signedStart = startsOn is { } start ? Time(start) : "";
        var signedExpiry = Time(expiresOn);
        var protocol = httpsOnly ? "https" : "";
        var signature = Convert.ToBase64String(
            HMACSHA256.HashData(Convert.FromBase64String(key.Value), Encoding.UTF8.GetBytes(StringToSign(blob, key, signedPermissions, signedExpiry, signedStart, protocol))));

        (string Name, string Value)[] query =
        [
            ("skoid", key.SignedObjectId), ("sktid", key.SignedTenantId), ("skt", Time(key.SignedStartsOn)), ("ske", Time(key.SignedExpiresOn)),
            ("sks", key.SignedService), ("skv", key.SignedVersion), ("sv", Version), ("spr", protocol), ("st", signedStart), ("se", signedExpiry), ("sr", "b"),
            ("sp", signedPermissions), ("sig", signature),
        ];
        return new UriBuilder(blob.Uri) { Query = string.Join('&', query.Where(part => part.Value.Length > 0).Select(part => $"{part.Name}={Uri.EscapeDataString(part.Value)}")) }.Uri;
    }

    /// <summary>The 2025-07-05 layout: no IP range, snapshot, encryption scope or response headers.</summary>
    public static string StringToSign(BlobBaseClient blob, UserDelegationKey key, string signedPermissions, string signedExpiry, string signedStart = "", string protocol = "") => string.Join('\n',
        signedPermissions, signedStart, signedExpiry, $"/blob/{blob.AccountName}/{blob.BlobContainerName}/{blob.Name}",
        key.SignedObjectId, key.SignedTenantId, Time(key.SignedStartsOn), Time(key.SignedExpiresOn), key.SignedService, key.SignedVersion,
        "", "", "", "", "", // authorized and unauthorized object ids, correlation id, delegated user's tenant and object id
        "", protocol, Version, "b", "", "", // IP range, protocol, version, resource, snapshot time, encryption scope
        "", "", "", "", ""); // rscc, rscd, rsce, rscl, rsct

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
