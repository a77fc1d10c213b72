using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Core;

namespace Serverless.Backup;

/// <summary>
/// The public keys a restore checks a manifest's signature with: a PEM file (the dev key's public half, or the Key
/// Vault key's, downloaded once), or the Key Vault key itself by URL, read with the operator's sign-in.
/// </summary>
internal static class ManifestKeys
{
    public static ECDsa ImportP256(string pem, string source, bool requirePrivate)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new BackupKeyException($"{source} is not an EC key in PEM ({ex.Message}).");
        }

        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new BackupKeyException($"{source} is not a P-256 key: backup manifests are signed with ES256.");
        }

        if (requirePrivate)
        {
            try
            {
                key.ExportParameters(includePrivateParameters: true);
            }
            catch (CryptographicException)
            {
                key.Dispose();
                throw new BackupKeyException($"{source} is a public key: signing needs the private key.");
            }
        }

        return key;
    }

    /// <summary>
    /// The public key that made <paramref name="signature"/>, when it is one the operator trusts: the PEM key (its
    /// fingerprint must be the signature's key id), or a version of the Key Vault key at <paramref name="trusted"/>.
    /// Null when the signature names another key.
    /// </summary>
    public static async Task<ECDsa?> TrustedKeyAsync(string trusted, ManifestSignature signature, TokenCredential? credential, HttpClient http, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(trusted, UriKind.Absolute, out var keyUri) && keyUri.Scheme == Uri.UriSchemeHttps)
        {
            var prefix = keyUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
            if (!signature.KeyId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || signature.KeyId[prefix.Length..].Contains('/', StringComparison.Ordinal))
            {
                return null;
            }

            using var request = await VaultRequestAsync(HttpMethod.Get, new Uri(signature.KeyId + "?api-version=7.4"), credential ?? throw new InvalidOperationException("A Key Vault key needs a credential."), cancellationToken);
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new BackupFailedException($"The signing key {signature.KeyId} could not be read from Key Vault (HTTP {(int)response.StatusCode}); nothing was written.");
            }

            var jwk = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["key"]!;
            if (jwk["kty"]?.GetValue<string>() is not ("EC" or "EC-HSM") || jwk["crv"]?.GetValue<string>() != "P-256")
            {
                return null;
            }

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

        var key = ImportP256(await File.ReadAllTextAsync(trusted, cancellationToken), trusted, requirePrivate: false);
        if (ManifestSignature.LocalKeyId(key) != signature.KeyId)
        {
            key.Dispose();
            return null;
        }

        return key;
    }

    internal static async Task<HttpRequestMessage> VaultRequestAsync(HttpMethod method, Uri uri, TokenCredential credential, CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/.default"]), cancellationToken);
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return request;
    }
}
