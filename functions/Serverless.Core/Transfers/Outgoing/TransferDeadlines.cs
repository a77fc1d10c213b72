using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Serverless.Notifications;
using Serverless.Referrals;
using Serverless.Storage;

namespace Serverless.Transfers.Outgoing;

/// <summary>
/// The acknowledgement clock (timer every 15 minutes): a transfer still <c>queued</c>, <c>delivered</c> or
/// <c>more-requested</c> (asked for more, not yet acknowledged) past its
/// acknowledgement deadline alerts the coordinators (on call, or all) urgently, then again each day until it is
/// acknowledged. Each alert's id is fixed by the message id and the day of it (the deadline plus whole days), so
/// however often the timer runs, each is sent once.
/// </summary>
public sealed class TransferDeadlines(
    StorageClients clients,
    StorageNames names,
    IEscalationRecipients coordinators,
    NotificationInbox inbox,
    AgencyChannels channels,
    TimeProvider clock,
    ILogger<TransferDeadlines> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var table = clients.Tables.GetTableClient(names.Table(OutgoingTransferStore.TableName));
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {OutgoingTransferEntity.Partition} and AcknowledgementDeadline le {now}");
        var raised = 0;
        await foreach (var row in table.QueryAsync<OutgoingTransferEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (row.State is not (OutgoingTransferStates.Queued or OutgoingTransferStates.Delivered or OutgoingTransferStates.MoreRequested))
            {
                continue;
            }

            var day = (int)((now - row.AcknowledgementDeadline).Ticks / TimeSpan.TicksPerDay);
            var at = row.AcknowledgementDeadline.AddDays(day);
            var about = $"{row.RowKey}/acknowledgement-overdue/{day}";
            var recipients = await coordinators.RecipientsAtAsync(now, cancellationToken);
            var notification = new Notification(
                NotificationInbox.IdFor(at, about), NotificationKinds.TransferAcknowledgementOverdue, row.CaseId, GrantId: null,
                NotificationKinds.SystemActor, ActorAgencyId: "", at, Urgent: true);
            await inbox.SendOnceAsync(recipients, notification, cancellationToken);
            await channels.TellAgenciesOfAsync(recipients, about, notification.Kind, urgent: true, at, cancellationToken);
            raised++;
            logger.LogWarning("Transfer {MessageId} of case {CaseId}: not acknowledged by {MunicipalityCode}, day {Day} past its deadline", row.RowKey, row.CaseId, row.ReceiverCode, day);
        }

        return raised;
    }
}
