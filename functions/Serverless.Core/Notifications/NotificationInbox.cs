using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Notifications;

/// <summary>Each person's inbox, newest first: one partition per person, so reading a page is one query.</summary>
public sealed class NotificationInbox(StorageClients clients, StorageNames names)
{
    public const string TableName = "Notifications";
    public const int MaxPageSize = 100;

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>Puts one notification into each recipient's inbox, side by side.</summary>
    public async Task SendAsync(IEnumerable<string> recipientIds, Notification notification, CancellationToken cancellationToken)
        => await Task.WhenAll(recipientIds.Select(recipient => Table.AddEntityAsync(
            new NotificationEntity
            {
                PartitionKey = recipient,
                RowKey = notification.NotificationId,
                Kind = notification.Kind,
                CaseId = notification.CaseId,
                GrantId = notification.GrantId,
                ActorId = notification.ActorId,
                ActorAgencyId = notification.ActorAgencyId,
                At = notification.At,
            },
            cancellationToken)));

    public async Task<(IReadOnlyList<Notification> Items, string? ContinuationToken)> PageAsync(string personId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var pages = Table.QueryAsync<NotificationEntity>(entity => entity.PartitionKey == personId, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return (page.Values.Select(row => new Notification(row.RowKey, row.Kind, row.CaseId, row.GrantId, row.ActorId, row.ActorAgencyId, row.At)).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>Newest first: ticks counted down from the end of time, then a little randomness.</summary>
    public static string NewId(DateTimeOffset at)
        => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
