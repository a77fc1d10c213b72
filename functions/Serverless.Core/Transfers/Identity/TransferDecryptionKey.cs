using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Serverless.Backup;
using Serverless.Storage;

namespace Serverless.Transfers.Identity;

/// <summary>
/// The key packages for this council are encrypted to, as an <see cref="IKeyUnwrapper"/>: the PEM private key
/// (<c>Transfers:DecryptionKeyPem</c>, imported once) locally, or Key Vault's <c>unwrapKey</c> on
/// <c>Transfers:DecryptionKeyUri</c> in Azure, so the app never holds the private key there. The PEM wins when both are
/// set. Null while neither is configured: every incoming message is then refused.
/// </summary>
public sealed class TransferDecryptionKey : IDisposable
{
    private static readonly HttpClient Http = new();

    private readonly Lazy<RSA?> pemKey;
    private readonly Lazy<IKeyUnwrapper?> unwrapper;

    public TransferDecryptionKey(IOptions<TransferOptions> options, IOptions<StorageOptions> storage)
    {
        var value = options.Value;
        pemKey = new(() => string.IsNullOrWhiteSpace(value.DecryptionKeyPem)
            ? null
            : BackupEnvelope.ImportPrivateKey(value.DecryptionKeyPem, password: null, "Transfers:DecryptionKeyPem"));
        unwrapper = new(() => pemKey.Value is { } key
            ? new RsaKeyUnwrapper(key)
            : value.DecryptionKeyUri is { } uri
                ? new KeyVaultKeyUnwrapper(uri, StorageClients.CreateCredential(storage.Value.ManagedIdentityClientId), Http)
                : null);
        KeyUri = string.IsNullOrWhiteSpace(value.DecryptionKeyPem) ? value.DecryptionKeyUri : null;
        Credential = new(() => StorageClients.CreateCredential(storage.Value.ManagedIdentityClientId));
    }

    internal IKeyUnwrapper? Unwrapper => unwrapper.Value;

    /// <summary>The public half, for the identity route: from the PEM, or read from Key Vault (null: not configured).</summary>
    internal async Task<RSA?> PublicKeyAsync(CancellationToken cancellationToken)
    {
        if (pemKey.Value is { } key)
        {
            var copy = RSA.Create();
            copy.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
            return copy;
        }

        return KeyUri is { } uri ? await VaultPublicKeys.RsaAsync(uri, Credential.Value, Http, cancellationToken) : null;
    }

    private Uri? KeyUri { get; }

    private Lazy<Azure.Core.TokenCredential> Credential { get; }

    public void Dispose()
    {
        if (pemKey.IsValueCreated)
        {
            pemKey.Value?.Dispose();
        }
    }
}
