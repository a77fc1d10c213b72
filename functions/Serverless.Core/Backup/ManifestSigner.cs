using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Core;

namespace Serverless.Backup;

/// <summary>Signs a backup's manifest (<see cref="ManifestSignature"/>).</summary>
internal interface IManifestSigner
{
    Task<ManifestSignature> SignAsync(byte[] manifest, CancellationToken cancellationToken);
}

/// <summary>A P-256 key in PEM, for Azurite and tests (and an operator's own key for an extra backup on demand).</summary>
internal sealed class PemManifestSigner : IManifestSigner, IDisposable
{
    private readonly ECDsa key;

    public PemManifestSigner(string pem, string source)
    {
        key = ManifestKeys.ImportP256(pem, source, requirePrivate: true);
        KeyId = ManifestSignature.LocalKeyId(key);
    }

    public string KeyId { get; }

    public Task<ManifestSignature> SignAsync(byte[] manifest, CancellationToken cancellationToken)
        => Task.FromResult(new ManifestSignature(
            ManifestSignature.Es256,
            KeyId,
            Convert.ToBase64String(key.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))));

    public void Dispose() => key.Dispose();
}

/// <summary>
/// A Key Vault key's <c>sign</c> operation (REST, API 7.4): the vault signs the manifest's SHA-256 and the private key
/// never leaves it. The signature names the key version that made it (<c>kid</c>), so a restore can fetch that
/// version's public key even after the key is rotated.
/// </summary>
internal sealed class KeyVaultManifestSigner(Uri keyUri, TokenCredential credential, HttpClient http) : IManifestSigner
{
    public async Task<ManifestSignature> SignAsync(byte[] manifest, CancellationToken cancellationToken)
    {
        using var request = await ManifestKeys.VaultRequestAsync(HttpMethod.Post, new Uri(keyUri.ToString().TrimEnd('/') + "/sign?api-version=7.4"), credential, cancellationToken);
        request.Content = JsonContent.Create(new { alg = ManifestSignature.Es256, value = Base64Url(SHA256.HashData(manifest)) });
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BackupFailedException($"Key Vault refused to sign the backup manifest with {keyUri} (HTTP {(int)response.StatusCode}). The app needs Key Vault Crypto User on that key (infra/modules/roles.bicep).");
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        var signature = FromBase64Url(body["value"]!.GetValue<string>());
        return new ManifestSignature(ManifestSignature.Es256, body["kid"]!.GetValue<string>(), Convert.ToBase64String(signature));
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }
}
