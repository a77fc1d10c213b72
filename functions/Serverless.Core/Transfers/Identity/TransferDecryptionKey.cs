using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Serverless.Backup;

namespace Serverless.Transfers.Identity;

/// <summary>
/// The private key packages for this council are encrypted to (<c>Transfers:DecryptionKeyPem</c>), imported once.
/// Null while not configured: every incoming message is then refused. In Azure this becomes Key Vault's
/// <c>unwrapKey</c> (docs/transfers.md, "Not yet built").
/// </summary>
public sealed class TransferDecryptionKey(IOptions<TransferOptions> options) : IDisposable
{
    private readonly Lazy<RSA?> key = new(() => string.IsNullOrWhiteSpace(options.Value.DecryptionKeyPem)
        ? null
        : BackupEnvelope.ImportPrivateKey(options.Value.DecryptionKeyPem, password: null, "Transfers:DecryptionKeyPem"));

    public RSA? Key => key.Value;

    public void Dispose()
    {
        if (key.IsValueCreated)
        {
            key.Value?.Dispose();
        }
    }
}
