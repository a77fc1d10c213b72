using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Core;

namespace Serverless.Backup;

/// <summary>
/// Unwraps a message key that <see cref="HybridEnvelope"/> wrapped with RSA-OAEP-SHA256: with a private key held here
/// (<see cref="RsaKeyUnwrapper"/>), or by Key Vault's <c>unwrapKey</c> (<see cref="KeyVaultKeyUnwrapper"/>), so in Azure
/// the private key never leaves the vault.
/// </summary>
internal interface IKeyUnwrapper
{
    /// <summary>The unwrapped key, or null when this key cannot unwrap it (another recipient's, or changed).</summary>
    Task<byte[]?> UnwrapAsync(byte[] wrappedKey, CancellationToken cancellationToken);
}

/// <summary>An RSA private key held in memory (a PEM key: Azurite, tests, an operator's own key).</summary>
internal sealed class RsaKeyUnwrapper(RSA privateKey) : IKeyUnwrapper
{
    public Task<byte[]?> UnwrapAsync(byte[] wrappedKey, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<byte[]?>(privateKey.Decrypt(wrappedKey, RSAEncryptionPadding.OaepSHA256));
        }
        catch (CryptographicException)
        {
            return Task.FromResult<byte[]?>(null);
        }
    }
}

/// <summary>
/// A Key Vault RSA key's <c>unwrapKey</c> operation (REST, API 7.4, <c>RSA-OAEP-256</c>), as <see cref="KeyVaultManifestSigner"/>
/// calls <c>sign</c>. The vault answers 400 for a key it cannot unwrap (another recipient's or changed): that is null
/// here, like a wrong local key; any other failure throws, so the caller's retry or error path applies.
/// </summary>
internal sealed class KeyVaultKeyUnwrapper(Uri keyUri, TokenCredential credential, HttpClient http) : IKeyUnwrapper
{
    public async Task<byte[]?> UnwrapAsync(byte[] wrappedKey, CancellationToken cancellationToken)
    {
        using var request = await ManifestKeys.VaultRequestAsync(HttpMethod.Post, new Uri(keyUri.ToString().TrimEnd('/') + "/unwrapkey?api-version=7.4"), credential, cancellationToken);
        request.Content = JsonContent.Create(new { alg = "RSA-OAEP-256", value = KeyVaultManifestSigner.Base64Url(wrappedKey) });
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Key Vault refused to unwrap with {keyUri} (HTTP {(int)response.StatusCode}). The app needs Key Vault Crypto User on that key (infra/modules/keyvault.bicep).");
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        return KeyVaultManifestSigner.FromBase64Url(body["value"]!.GetValue<string>());
    }
}

/// <summary>The public halves of Key Vault keys (their current versions), read for the transfer identity route.</summary>
internal static class VaultPublicKeys
{
    public static async Task<RSA> RsaAsync(Uri keyUri, TokenCredential credential, HttpClient http, CancellationToken cancellationToken)
    {
        var jwk = await ReadAsync(keyUri, credential, http, cancellationToken);
        return RSA.Create(new RSAParameters
        {
            Modulus = KeyVaultManifestSigner.FromBase64Url(jwk["n"]!.GetValue<string>()),
            Exponent = KeyVaultManifestSigner.FromBase64Url(jwk["e"]!.GetValue<string>()),
        });
    }

    public static async Task<ECDsa> P256Async(Uri keyUri, TokenCredential credential, HttpClient http, CancellationToken cancellationToken)
    {
        var jwk = await ReadAsync(keyUri, credential, http, cancellationToken);
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = KeyVaultManifestSigner.FromBase64Url(jwk["x"]!.GetValue<string>()),
                Y = KeyVaultManifestSigner.FromBase64Url(jwk["y"]!.GetValue<string>()),
            },
        });
    }

    private static async Task<JsonNode> ReadAsync(Uri keyUri, TokenCredential credential, HttpClient http, CancellationToken cancellationToken)
    {
        using var request = await ManifestKeys.VaultRequestAsync(HttpMethod.Get, new Uri(keyUri.ToString().TrimEnd('/') + "?api-version=7.4"), credential, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The key {keyUri} could not be read from Key Vault (HTTP {(int)response.StatusCode}).");
        }

        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["key"]!;
    }
}
