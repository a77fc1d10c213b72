using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Notifications;
using Serverless.Referrals;
using Serverless.Transfers.CarriedFiles;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.Outgoing;

/// <summary>Delivery settings (section <c>Transfers:Delivery</c>).</summary>
public sealed class TransferDeliveryOptions
{
    public const string Section = "Transfers:Delivery";

    /// <summary>The named <see cref="HttpClient"/> deliveries use.</summary>
    public const string HttpClientName = "transfer-delivery";

    /// <summary>Attempts before the transfer is marked failed and its coordinators alerted: host.json's
    /// <c>maxDequeueCount</c> (5), so the last attempt both alerts and sends the message to the poison queue.</summary>
    public int MaxAttempts { get; set; } = 5;

    public int TimeoutSeconds { get; set; } = 100;

    /// <summary>A transfer still <c>queued</c> with no attempt this long after its last enqueue is queued again (a crash
    /// between the case's pointer and the enqueue left it with no message).</summary>
    public int RequeueAfterMinutes { get; set; } = 15;

    /// <summary>How long an attempt's claim holds the transfer: the post's timeout and a minute to read and record.</summary>
    public TimeSpan ClaimFor => TimeSpan.FromSeconds(TimeoutSeconds + 60);
}

/// <summary>
/// Delivers one sealed package (queue <c>transfer-deliveries</c>): reads the row and the sealed bytes, checks them
/// against the hash recorded when sealed, and posts them (<c>application/octet-stream</c>) to the partner's intake
/// endpoint as registered, while the partner is still confirmed. 202 marks it delivered; anything else throws, so the
/// queue retries. Idempotent: a transfer no longer queued is not posted again. The last attempt (see
/// <see cref="TransferDeliveryOptions.MaxAttempts"/>) marks the transfer failed and alerts the coordinators urgently
/// before it throws, so the message still ends in the poison queue and then the dead-letter table.
/// </summary>
public sealed class TransferDelivery(
    OutgoingTransferStore store,
    TransferPartnerStore partners,
    IHttpClientFactory http,
    IEscalationRecipients coordinators,
    TransferFileSender carriedFiles,
    NotificationInbox inbox,
    AgencyChannels channels,
    IOptions<TransferDeliveryOptions> options,
    TimeProvider clock,
    ILogger<TransferDelivery> logger)
{
    public async Task DeliverQueuedAsync(string messageText, CancellationToken cancellationToken)
        => await DeliverAsync(TransferDeliveryQueue.ReadMessageId(messageText), cancellationToken);

    public async Task DeliverAsync(string messageId, CancellationToken cancellationToken)
    {
        var row = await ClaimAsync(messageId, cancellationToken);
        if (row is null)
        {
            await carriedFiles.QueueAsync(messageId, cancellationToken); // a retry after queueing the files failed
            return;
        }

        try
        {
            await PostAsync(row, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = ex is TransferDeliveryException delivery ? delivery.Failure : ex.GetType().Name;
            logger.LogWarning("Transfer {MessageId} to {MunicipalityCode}: attempt {Attempt} failed ({Failure})", messageId, row.ReceiverCode, row.Attempts, failure);
            var latest = await store.GetAsync(messageId, cancellationToken) ?? row;
            if (latest.State != OutgoingTransferStates.Queued)
            {
                // Withdrawn (or otherwise settled) while the attempt ran: nothing to retry, nothing to fail.
                logger.LogInformation("Transfer {MessageId}: {State} meanwhile; not retried", messageId, latest.State);
                return;
            }

            latest.LastFailure = failure;
            latest.DeliveringUntil = null; // the claim ends with the attempt: the queue's retry may claim at once
            if (latest.Attempts >= options.Value.MaxAttempts)
            {
                await FailAsync(latest, cancellationToken);
            }
            else
            {
                await store.UpdateAsync(latest, cancellationToken);
            }

            throw;
        }

        row.State = OutgoingTransferStates.Delivered;
        row.DeliveredAt = clock.GetUtcNow();
        row.LastFailure = null;
        row.DeliveringUntil = null;
        if (!await store.UpdateAsync(row, cancellationToken))
        {
            // Changed since the attempt was counted (an acknowledgement overtook the answer): keep what is there
            // unless it is still queued, which only a lost write can leave.
            var latest = await store.GetAsync(messageId, cancellationToken);
            if (latest is { State: OutgoingTransferStates.Queued })
            {
                latest.State = OutgoingTransferStates.Delivered;
                latest.DeliveredAt = row.DeliveredAt;
                latest.DeliveringUntil = null;
                await store.UpdateAsync(latest, cancellationToken);
            }
        }

        // Only now do the files follow: the receiver accepts a file only for a package it holds.
        await carriedFiles.QueueAsync(messageId, cancellationToken);
        logger.LogInformation("Transfer {MessageId} of case {CaseId} delivered to {MunicipalityCode} on attempt {Attempt}", messageId, row.CaseId, row.ReceiverCode, row.Attempts);
    }

    /// <summary>
    /// Claims the transfer for one attempt, at the row's ETag: counts the attempt and holds it until
    /// <see cref="TransferDeliveryOptions.ClaimFor"/> from now. Null (post nothing) when it is no longer queued, or another
    /// attempt holds it: a duplicate message (a re-queue of a transfer that was merely waiting) never posts the package
    /// a second time while the first attempt runs; that attempt's own message is retried if it fails.
    /// </summary>
    private async Task<OutgoingTransferEntity?> ClaimAsync(string messageId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            var row = await store.GetAsync(messageId, cancellationToken);
            if (row is null || row.State != OutgoingTransferStates.Queued)
            {
                logger.LogInformation("Transfer {MessageId}: nothing to deliver (state {State})", messageId, row?.State ?? "none");
                return null;
            }

            if (row.DeliveringUntil > now)
            {
                logger.LogInformation("Transfer {MessageId}: another attempt holds it until {Until}; this message posts nothing", messageId, row.DeliveringUntil);
                return null;
            }

            row.Attempts++;
            row.DeliveringUntil = now + options.Value.ClaimFor;
            if (await store.UpdateAsync(row, cancellationToken))
            {
                return row;
            }

            // Changed meanwhile (another claim, a withdrawal, an acknowledgement, a re-queue): read it again.
        }
    }

    private async Task PostAsync(OutgoingTransferEntity row, CancellationToken cancellationToken)
    {
        var partner = await partners.ConfirmedAsync(row.ReceiverCode, cancellationToken)
            ?? throw new TransferDeliveryException("partner-not-confirmed");
        var sealedBytes = await store.ReadSealedAsync(row.RowKey, cancellationToken) ?? throw new TransferDeliveryException("sealed-package-missing");
        if (Convert.ToHexStringLower(SHA256.HashData(sealedBytes)) != row.SealedSha256)
        {
            throw new TransferDeliveryException("sealed-package-changed");
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

    /// <summary>Marks the transfer failed (the case is free to be sent again) and alerts the coordinators (on call, or
    /// all when nobody is) urgently, once: the notification's id is fixed by the message id.</summary>
    private async Task FailAsync(OutgoingTransferEntity row, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        row.State = OutgoingTransferStates.Failed;
        row.FailedAt = now;
        await store.UpdateAsync(row, cancellationToken);
        var recipients = await coordinators.RecipientsAtAsync(now, cancellationToken);
        var about = row.RowKey + "/delivery-failed";
        var notification = new Notification(
            NotificationInbox.IdFor(now, about), NotificationKinds.TransferDeliveryFailed, row.CaseId, GrantId: null,
            NotificationKinds.SystemActor, ActorAgencyId: "", now, Urgent: true);
        await inbox.SendOnceAsync(recipients, notification, cancellationToken);
        await channels.TellAgenciesOfAsync(recipients, about, notification.Kind, urgent: true, now, cancellationToken);
        logger.LogError("Transfer {MessageId} of case {CaseId} to {MunicipalityCode} failed after {Attempts} attempts; {Recipients} coordinators alerted", row.RowKey, row.CaseId, row.ReceiverCode, row.Attempts, recipients.Count);
    }
}

/// <summary>A delivery attempt that did not end in 202: <see cref="Failure"/> names why, without content.</summary>
public sealed class TransferDeliveryException(string failure) : Exception($"Transfer delivery failed: {failure}.")
{
    public string Failure { get; } = failure;
}
