using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Backup;
using Serverless.Notifications;
using Serverless.Referrals;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.Answers;

/// <summary>
/// Delivers one answer (queue <c>transfer-answers</c>), as <see cref="TransferDelivery"/> delivers packages: reads the row,
/// builds the message (kind <c>acknowledgement</c> or <c>more-request</c>, the row's own message id, the payload
/// <see cref="TransferAnswerPayload"/>), signs it with this council's key and encrypts it to the partner's, and posts it to
/// the partner's intake endpoint while the partner is still confirmed. 202 marks it delivered; anything else throws, so the
/// queue retries. Idempotent: an answer no longer queued is not posted again, and a retry posts the same message id (the
/// sender's intake takes a repeat as a no-op). The attempt that reaches <see cref="TransferDeliveryOptions.MaxAttempts"/>
/// marks it failed and alerts this council's coordinators urgently before it throws, so the message still ends in the
/// poison queue and then the dead-letter table.
/// </summary>
public sealed class TransferAnswerDelivery(
    TransferAnswerStore store,
    TransferPartnerStore partners,
    IHttpClientFactory http,
    IEscalationRecipients coordinators,
    NotificationInbox inbox,
    AgencyChannels channels,
    IOptions<TransferOptions> identity,
    IOptions<TransferDeliveryOptions> options,
    TimeProvider clock,
    ILogger<TransferAnswerDelivery> logger)
{
    public async Task DeliverQueuedAsync(string messageText, CancellationToken cancellationToken)
    {
        var (senderCode, answerKey) = TransferAnswerQueue.Read(messageText);
        await DeliverAsync(senderCode, answerKey, cancellationToken);
    }

    public async Task DeliverAsync(string senderCode, string answerKey, CancellationToken cancellationToken)
    {
        var row = await ClaimAsync(senderCode, answerKey, cancellationToken);
        if (row is null)
        {
            return;
        }

        try
        {
            await PostAsync(row, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = ex is TransferDeliveryException delivery ? delivery.Failure : ex.GetType().Name;
            logger.LogWarning("Transfer answer {AnswerKey} to {MunicipalityCode}: attempt {Attempt} failed ({Failure})", answerKey, senderCode, row.Attempts, failure);
            row.LastFailure = failure;
            if (row.Attempts >= options.Value.MaxAttempts)
            {
                await FailAsync(row, cancellationToken);
            }
            else
            {
                await store.UpdateAsync(row, cancellationToken);
            }

            throw;
        }

        row.State = TransferAnswerStates.Delivered;
        row.DeliveredAt = clock.GetUtcNow();
        row.LastFailure = null;
        await store.UpdateAsync(row, cancellationToken);
        logger.LogInformation("Transfer answer {AnswerKey} ({MessageId}) delivered to {MunicipalityCode} on attempt {Attempt}", answerKey, row.AnswerMessageId, senderCode, row.Attempts);
    }

    /// <summary>Counts the attempt at the row's ETag; null (post nothing) when the answer is no longer queued.</summary>
    private async Task<TransferAnswerEntity?> ClaimAsync(string senderCode, string answerKey, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = await store.GetAsync(senderCode, answerKey, cancellationToken);
            if (row is null || row.State != TransferAnswerStates.Queued)
            {
                logger.LogInformation("Transfer answer {AnswerKey} to {MunicipalityCode}: nothing to deliver (state {State})", answerKey, senderCode, row?.State ?? "none");
                return null;
            }

            row.Attempts++;
            if (await store.UpdateAsync(row, cancellationToken))
            {
                return row;
            }
        }
    }

    private async Task PostAsync(TransferAnswerEntity row, CancellationToken cancellationToken)
    {
        var settings = identity.Value;
        var ownCode = settings.MunicipalityCode?.Trim();
        if (string.IsNullOrWhiteSpace(ownCode) || string.IsNullOrWhiteSpace(settings.SigningKeyPem))
        {
            throw new TransferDeliveryException("not-configured");
        }

        var partner = await partners.ConfirmedAsync(row.PartitionKey, cancellationToken)
            ?? throw new TransferDeliveryException("partner-not-confirmed");
        var payload = new TransferAnswerPayload(TransferAnswerPayload.CurrentSchemaVersion, row.PackageMessageId, row.Kind, row.AnsweredAt, row.AnsweredByName, row.Request);
        var message = new TransferMessage(row.Kind, row.AnswerMessageId, ownCode, row.PartitionKey, row.CreatedAt, payload.ToJson());
        byte[] sealedBytes;
        using (var signer = new PemManifestSigner(settings.SigningKeyPem, "Transfers:SigningKeyPem"))
        using (var partnerKey = PartnerKeys.ImportEncryptionKey(partner.EncryptionKeyPem, out _) ?? throw new TransferDeliveryException("partner-key-unreadable"))
        {
            sealedBytes = await TransferEnvelope.SealAsync(message, signer, partnerKey, cancellationToken);
        }

        using var client = http.CreateClient(TransferDeliveryOptions.HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        using var content = new ByteArrayContent(sealedBytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync(new Uri(partner.EndpointUrl), content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new TransferDeliveryException("http-" + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Marks the answer failed and alerts the coordinators (on call, or all) urgently, once: the notification's
    /// id is fixed by the answer's key. No case id: the answer row knows the package, not this council's case.</summary>
    private async Task FailAsync(TransferAnswerEntity row, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        row.State = TransferAnswerStates.Failed;
        row.FailedAt = now;
        await store.UpdateAsync(row, cancellationToken);
        var recipients = await coordinators.RecipientsAtAsync(now, cancellationToken);
        var about = $"{row.PartitionKey}/{row.RowKey}/answer-failed";
        var notification = new Notification(
            NotificationInbox.IdFor(now, about), NotificationKinds.TransferAnswerFailed, CaseId: "", GrantId: null,
            NotificationKinds.SystemActor, ActorAgencyId: "", now, Urgent: true);
        await inbox.SendOnceAsync(recipients, notification, cancellationToken);
        await channels.TellAgenciesOfAsync(recipients, about, notification.Kind, urgent: true, now, cancellationToken);
        logger.LogError("Transfer answer {AnswerKey} to {MunicipalityCode} failed after {Attempts} attempts; {Recipients} coordinators alerted", row.RowKey, row.PartitionKey, row.Attempts, recipients.Count);
    }
}
