using System.Security.Cryptography;
using System.Text.Json;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Packages;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.Receiving;

/// <summary>
/// Opens a stored package again, as the intake did: this council's decryption key, and the partner's signature checked
/// against its key as confirmed now. Null when it no longer opens (the blob is gone, our key rotated, the partner
/// unconfirmed or its key changed since): the caller answers 409 <c>transfers.package-unreadable</c>.
/// </summary>
public sealed class IncomingPackageOpener(IncomingTransferStore store, TransferPartnerStore partners, OwnTransferIdentity identity, TransferDecryptionKey decryption)
{
    public async Task<TransferPackage?> OpenAsync(IncomingTransferEntity row, CancellationToken cancellationToken)
    {
        if (identity.MunicipalityCode is not { } ownCode || decryption.Unwrapper is not { } ownKey
            || await partners.ConfirmedAsync(row.PartitionKey, cancellationToken) is not { } partner
            || await store.ReadBlobAsync(row.RowKey, cancellationToken) is not { } sealedBytes)
        {
            return null;
        }

        using var senderKey = PartnerKeys.ImportVerificationKey(partner.VerificationKeyPem, out _);
        if (senderKey is null)
        {
            return null;
        }

        try
        {
            var message = await TransferEnvelope.OpenAsync(sealedBytes, ownCode, ownKey, senderKey, cancellationToken);
            // The routing is inside what was checked: it must still name this row's sender and message.
            return message.Kind == TransferMessageKind.Package && message.SenderCode == row.PartitionKey && message.MessageId == row.RowKey
                ? TransferPackage.Parse(message.Payload)
                : null;
        }
        catch (Exception ex) when (ex is TransferEnvelopeException or JsonException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
