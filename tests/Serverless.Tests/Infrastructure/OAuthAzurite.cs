using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Serverless.Testing;

namespace Serverless.Tests.Infrastructure;

/// <summary>
/// The second Azurite the test command starts: blob service over HTTPS, accepting OAuth bearer tokens
/// (<c>--oauth basic</c>), which is what user delegation keys, and so the direct upload's SAS, need. Its endpoint is in
/// <c>SERVERLESS_TEST_OAUTH_BLOB</c> and its self-signed certificate (a PEM file) in <c>SERVERLESS_TEST_OAUTH_CERT</c>;
/// every client here trusts exactly that certificate and nothing else. See docs/direct-upload-local.md.
/// </summary>
public static class OAuthAzurite
{
    public const string BlobVariable = "SERVERLESS_TEST_OAUTH_BLOB";
    public const string CertificateVariable = "SERVERLESS_TEST_OAUTH_CERT";

    /// <summary>The emulator's account, as in the endpoint: user delegation SAS are signed with its name.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The blob service, e.g. <c>https://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public static Uri BlobEndpoint => new(Required(BlobVariable));

    /// <summary>A client of the blob service as the app is one in Azure: a bearer token, no account key.</summary>
    public static BlobServiceClient BlobService(TokenCredential? credential = null)
        => new(BlobEndpoint, credential ?? new UnsignedTokenCredential(), new BlobClientOptions { Transport = new HttpClientTransport(TrustingHandler()) });

    /// <summary>A client with no credential of its own, as a browser holding only a SAS URL is.</summary>
    public static HttpClient AnonymousHttpClient() => new(TrustingHandler());

    /// <summary>The SDK's block blob client holding only <paramref name="sasUri"/>, as a client given an upload SAS.</summary>
    public static BlockBlobClient SasBlockBlob(Uri sasUri)
        => new(sasUri, new BlobClientOptions { Transport = new HttpClientTransport(TrustingHandler()) });

    /// <summary>
    /// Accepts only the certificate of <c>SERVERLESS_TEST_OAUTH_CERT</c>, compared by SHA-256 thumbprint: neither the
    /// machine's trust store nor the name is consulted, so nothing needs installing and nothing else gets trusted.
    /// </summary>
    private static HttpClientHandler TrustingHandler()
    {
        var path = Required(CertificateVariable);
        using var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        var thumbprint = pinned.GetCertHashString(HashAlgorithmName.SHA256);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase),
        };
    }

    private static string Required(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            Assert.Fail(
                $"{variable} is not set: this test needs the Azurite with OAuth over HTTPS that `dotnet run --project tools/Dev -- test` starts "
                + $"(e.g. `dotnet run --project tools/Dev -- test --filter DirectUpload` in {RepositoryPaths.Root}). See docs/direct-upload-local.md.");
        }

        return value;
    }

    /// <summary>
    /// An unsigned JWT (<c>alg: none</c>) with the claims Azurite's basic OAuth checks: an issuer starting with
    /// <c>https://sts.windows.net/</c>, the audience <c>https://storage.azure.com</c>, and <c>iat</c>, <c>nbf</c>,
    /// <c>exp</c> around now (node_modules/azurite/dist/src/blob/authentication/BlobTokenAuthenticator.js). It does not
    /// check signatures. <c>oid</c> and <c>tid</c> end up in the user delegation key (<c>skoid</c>, <c>sktid</c>).
    /// </summary>
    public sealed class UnsignedTokenCredential(Guid? objectId = null, Guid? tenantId = null) : TokenCredential
    {
        public Guid ObjectId { get; } = objectId ?? Guid.NewGuid();

        public Guid TenantId { get; } = tenantId ?? Guid.NewGuid();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var expiresOn = now.AddHours(1);
            var claims = new Dictionary<string, object>
            {
                ["aud"] = "https://storage.azure.com",
                ["iss"] = $"https://sts.windows.net/{TenantId}/",
                ["iat"] = now.ToUnixTimeSeconds(),
                ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
                ["exp"] = expiresOn.ToUnixTimeSeconds(),
                ["oid"] = ObjectId,
                ["tid"] = TenantId,
            };
            return new AccessToken($"{Part(new { alg = "none", typ = "JWT" })}.{Part(claims)}.", expiresOn);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => new(GetToken(requestContext, cancellationToken));

        private static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
    }
}
