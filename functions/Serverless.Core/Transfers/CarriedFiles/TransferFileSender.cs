using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Backup;
using Serverless.Files.Storage;
using Serverless.Storage;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Packages;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>
/// Sends the files a package references, each as its own <see cref="TransferMessageKind.File"/> message, once the package
/// is delivered: <see cref="RecordAsync"/> when the package is sealed (one row per file; a file over the intake's limit is
/// marked <c>too-large</c> there and never sent), <see cref="QueueAsync"/> when the intake answered 202 (rows say queued,
/// then one queue message per file), <see cref="DeliverQueuedAsync"/> per message: the stored copy, checked against the
/// hash the package names, sealed with the same envelope (signed by us, encrypted to the partner) and posted to the
/// partner's intake. Idempotent: a file no longer queued is not posted again. The last attempt marks it failed and throws,
/// so the message ends in <c>transfer-file-deliveries-poison</c> and then the dead letters.
/// </summary>
public sealed class TransferFileSender(
    OutgoingTransferFileStore files,
    OutgoingTransferStore transfers,
    TransferFileQueue queue,
    TransferPartnerStore partners,
    StorageClients clients,
    StorageNames names,
    IHttpClientFactory http,
    IOptions<TransferOptions> options,
    IOptions<TransferDeliveryOptions> delivery,
    TimeProvider clock,
    ILogger<TransferFileSender> logger)
{
    /// <summary>One row per file the package references, before the package's delivery is queued.</summary>
    public async Task RecordAsync(string messageId, string caseId, string receiverCode, TransferPackage package, CancellationToken cancellationToken)
    {
        foreach (var file in package.Timeline.SelectMany(entry => entry.Files).DistinctBy(file => file.FileId, StringComparer.Ordinal))
        {
            await files.AddAsync(
                new OutgoingTransferFileEntity
                {
                    PartitionKey = messageId,
                    RowKey = file.FileId,
                    CaseId = caseId,
                    ReceiverCode = receiverCode,
                    Sha256 = file.Sha256,
                    Length = file.Length,
                    State = file.Length > IncomingTransferLimits.MaxFileBytes ? OutgoingTransferFileStates.TooLarge : OutgoingTransferFileStates.Waiting,
                },
                cancellationToken);
        }
    }

    /// <summary>The package was delivered: each waiting file's row says queued, then its message is queued (ids only).</summary>
    /// <remarks>Called again by every later delivery message of the package (a retry after this failed half-way): only
    /// a delivered or acknowledged transfer's waiting files are queued, each once.</remarks>
    public async Task QueueAsync(string messageId, CancellationToken cancellationToken)
    {
        if (await transfers.GetAsync(messageId, cancellationToken) is not { State: OutgoingTransferStates.Delivered or OutgoingTransferStates.Acknowledged })
        {
            return;
        }

        var queued = 0;
        foreach (var row in await files.OfPackageAsync(messageId, cancellationToken))
        {
            if (row.State != OutgoingTransferFileStates.Waiting)
            {
                continue;
            }

            row.State = OutgoingTransferFileStates.Queued;
            if (await files.UpdateAsync(row, cancellationToken))
            {
                await queue.SendAsync(messageId, row.RowKey, cancellationToken);
                queued++;
            }
        }

        logger.LogInformation("Transfer {MessageId}: {Count} files queued to send", messageId, queued);
    }

    public Task DeliverQueuedAsync(string messageText, CancellationToken cancellationToken)
    {
        var (messageId, fileId) = TransferFileQueue.Read(messageText);
        return DeliverAsync(messageId, fileId, cancellationToken);
    }

    public async Task DeliverAsync(string messageId, string fileId, CancellationToken cancellationToken)
    {
        var row = await files.GetAsync(messageId, fileId, cancellationToken);
        if (row is null || row.State != OutgoingTransferFileStates.Queued)
        {
            logger.LogInformation("Transfer {MessageId} file {FileId}: nothing to send (state {State})", messageId, fileId, row?.State ?? "none");
            return;
        }

        var transfer = await transfers.GetAsync(messageId, cancellationToken);
        if (transfer is null || transfer.State is not (OutgoingTransferStates.Delivered or OutgoingTransferStates.Acknowledged))
        {
            // Withdrawn (or never delivered): its files do not follow it.
            logger.LogInformation("Transfer {MessageId} file {FileId}: the transfer is {State}; not sent", messageId, fileId, transfer?.State ?? "gone");
            return;
        }

        row.Attempts++;
        try
        {
            var content = await ReadStoredAsync(row, cancellationToken);
            if (content is null)
            {
                row.State = OutgoingTransferFileStates.Unavailable;
                await files.UpdateAsync(row, cancellationToken);
                logger.LogWarning("Transfer {MessageId} file {FileId}: the stored copy is gone or changed; not sent", messageId, fileId);
                return;
            }

            await PostAsync(row, transfer.SenderCode, content, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            row.LastFailure = ex is TransferDeliveryException failure ? failure.Failure : ex.GetType().Name;
            if (row.Attempts >= delivery.Value.MaxAttempts)
            {
                row.State = OutgoingTransferFileStates.Failed;
            }

            await files.UpdateAsync(row, cancellationToken);
            logger.LogWarning("Transfer {MessageId} file {FileId}: attempt {Attempt} failed ({Failure})", messageId, fileId, row.Attempts, row.LastFailure);
            throw;
        }

        row.State = OutgoingTransferFileStates.Sent;
        row.SentAt = clock.GetUtcNow();
        row.LastFailure = null;
        await files.UpdateAsync(row, cancellationToken);
        logger.LogInformation("Transfer {MessageId} file {FileId} sent to {MunicipalityCode} on attempt {Attempt}", messageId, fileId, row.ReceiverCode, row.Attempts);
    }

    /// <summary>The stored copy, or null when it is gone (the case erased) or is not what the package names.</summary>
    private async Task<byte[]?> ReadStoredAsync(OutgoingTransferFileEntity row, CancellationToken cancellationToken)
    {
        var blob = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Files)).GetBlobClient(FileBlobs.Name(row.CaseId, row.RowKey));
        byte[] content;
        try
        {
            content = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }

        return content.LongLength == row.Length && Convert.ToHexStringLower(SHA256.HashData(content)) == row.Sha256 ? content : null;
    }

    private async Task PostAsync(OutgoingTransferFileEntity row, string ownCode, byte[] content, CancellationToken cancellationToken)
    {
        var partner = await partners.ConfirmedAsync(row.ReceiverCode, cancellationToken) ?? throw new TransferDeliveryException("partner-not-confirmed");
        var signingKey = options.Value.SigningKeyPem;
        if (string.IsNullOrWhiteSpace(signingKey))
        {
            throw new TransferDeliveryException("not-configured");
        }

        var message = new TransferMessage(
            TransferMessageKind.File, TransferIds.NewMessageId(), ownCode, row.ReceiverCode, clock.GetUtcNow(),
            new TransferFilePayload(row.PartitionKey, row.RowKey, content).ToBytes());
        byte[] sealedBytes;
        using (var signer = new PemManifestSigner(signingKey, "Transfers:SigningKeyPem"))
        using (var receiverKey = PartnerKeys.ImportEncryptionKey(partner.EncryptionKeyPem, out _) ?? throw new TransferDeliveryException("partner-key-unreadable"))
        {
            sealedBytes = await TransferEnvelope.SealAsync(message, signer, receiverKey, cancellationToken);
        }

        using var client = http.CreateClient(TransferDeliveryOptions.HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(delivery.Value.TimeoutSeconds);
        using var body = new ByteArrayContent(sealedBytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync(new Uri(partner.EndpointUrl), body, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new TransferDeliveryException("http-" + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
