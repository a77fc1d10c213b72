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
        => await Task.WhenAll(recipientIds.Select(recipient => Table.AddEntityAsync(Row(recipient, notification), cancellationToken)));

    /// <summary>Like <see cref="SendAsync"/> for a notification whose id is fixed by what it is about: sending it again
    /// (a run finishing a crashed one) leaves exactly one in each inbox.</summary>
    public async Task SendOnceAsync(IEnumerable<string> recipientIds, Notification notification, CancellationToken cancellationToken)
        => await Task.WhenAll(recipientIds.Select(async recipient =>
        {
            try
            {
                await Table.AddEntityAsync(Row(recipient, notification), cancellationToken);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 409)
            {
                // already in this inbox
            }
        }));

    public async Task<(IReadOnlyList<Notification> Items, string? ContinuationToken)> PageAsync(string personId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var pages = Table.QueryAsync<NotificationEntity>(entity => entity.PartitionKey == personId, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return (page.Values.Select(row => new Notification(row.RowKey, row.Kind, row.CaseId, row.GrantId, row.ActorId, row.ActorAgencyId, row.At, row.ReferralId, row.Urgent)).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>A fixed id for what <paramref name="about"/> names (newest first like <see cref="NewId"/>).</summary>
    public static string IdFor(DateTimeOffset at, string about)
        => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(about)))[..8];

    private static NotificationEntity Row(string recipient, Notification notification) => new()
    {
        PartitionKey = recipient,
        RowKey = notification.NotificationId,
        Kind = notification.Kind,
        CaseId = notification.CaseId,
        GrantId = notification.GrantId,
        ActorId = notification.ActorId,
        ActorAgencyId = notification.ActorAgencyId,
        At = notification.At,
        ReferralId = notification.ReferralId,
        Urgent = notification.Urgent,
    };

    /// <summary>Newest first: ticks counted down from the end of time, then a little randomness.</summary>
    public static string NewId(DateTimeOffset at)
        => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
