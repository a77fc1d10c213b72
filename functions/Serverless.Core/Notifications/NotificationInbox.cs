using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Notifications;

/// <summary>
/// Each person's inbox, newest first: one partition per person, so reading a page is one query. Reading marks a
/// notification one by one (<c>Read</c>), or everything up to a time at once with the person's read mark, one row
/// in the same partition that sorts after every notification.
/// </summary>
public sealed class NotificationInbox(StorageClients clients, StorageNames names)
{
    public const string TableName = "Notifications";
    public const int MaxPageSize = 100;

    /// <summary>The read mark's row: '~' sorts after the digits every notification id starts with.</summary>
    public const string ReadMarkRow = "~read-mark";

    /// <summary>An unread count stops here: a badge says "999+", and counting never reads a whole old inbox.</summary>
    public const int MaxUnreadCount = 999;

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>Puts one notification into each recipient's inbox, side by side.</summary>
    public async Task SendAsync(IEnumerable<string> recipientIds, Notification notification, CancellationToken cancellationToken)
        => await Task.WhenAll(recipientIds.Select(recipient => Table.AddEntityAsync(Row(recipient, notification), cancellationToken)));

    /// <summary>Like <see cref="SendAsync"/> for a notification whose id is fixed by what it is about: sending it again
    /// (a redelivered message, a run finishing a crashed one) leaves exactly one in each inbox.</summary>
    public async Task SendOnceAsync(IEnumerable<string> recipientIds, Notification notification, CancellationToken cancellationToken)
        => await SendOnceAsync(recipientIds.Select(recipient => (recipient, notification)), cancellationToken);

    /// <summary>One notification per recipient, each possibly different (a mention), each at most once.</summary>
    public async Task SendOnceAsync(IEnumerable<(string RecipientId, Notification Notification)> deliveries, CancellationToken cancellationToken)
        => await Task.WhenAll(deliveries.Select(async delivery =>
        {
            try
            {
                await Table.AddEntityAsync(Row(delivery.RecipientId, delivery.Notification), cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // already in this inbox
            }
        }));

    /// <summary>A page of the person's inbox, newest first; with <paramref name="unreadOnly"/>, only those after the
    /// read mark not marked read one by one.</summary>
    public async Task<(IReadOnlyList<Notification> Items, string? ContinuationToken)> PageAsync(string personId, bool unreadOnly, DateTimeOffset? readMark, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var filter = unreadOnly
            ? TableClient.CreateQueryFilter($"PartitionKey eq {personId} and RowKey lt {Upper(readMark)} and Read eq {false}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {personId} and RowKey lt {ReadMarkRow}");
        var pages = Table.QueryAsync<NotificationEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return (page.Values.Select(From).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>Everything at or before this time is read (null: no mark yet).</summary>
    public async Task<DateTimeOffset?> ReadMarkAsync(string personId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(personId, ReadMarkRow, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("UpTo") : null;
    }

    /// <summary>Moves the read mark forward to <paramref name="upTo"/> (never back: an older mark leaves it as it is).
    /// Returns the mark in force.</summary>
    public async Task<DateTimeOffset> MarkAllReadAsync(string personId, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(personId, ReadMarkRow, cancellationToken: cancellationToken);
            var current = row.HasValue ? row.Value!.GetDateTimeOffset("UpTo") : null;
            if (current is { } mark && mark >= upTo)
            {
                return mark;
            }

            var entity = new TableEntity(personId, ReadMarkRow) { ["SchemaVersion"] = 1, ["UpTo"] = upTo };
            try
            {
                if (row.HasValue)
                {
                    await Table.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await Table.AddEntityAsync(entity, cancellationToken);
                }

                return upTo;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 3)
            {
                // another device moved it meanwhile: read it again
            }
        }
    }

    /// <summary>Marks one notification read. False when the person has no such notification.</summary>
    public async Task<bool> MarkReadAsync(string personId, string notificationId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!IsNotificationId(notificationId))
        {
            return false;
        }

        var row = await Table.GetEntityIfExistsAsync<NotificationEntity>(personId, notificationId, select: ["PartitionKey", "RowKey", "Read"], cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return false;
        }

        if (!row.Value!.Read)
        {
            // Merge: only the read state changes, and a second device marking it too changes nothing more.
            await Table.UpdateEntityAsync(new TableEntity(personId, notificationId) { ["Read"] = true, ["ReadAt"] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }

        return true;
    }

    /// <summary>How many are unread (after the read mark, not marked one by one), up to <see cref="MaxUnreadCount"/>.</summary>
    public async Task<int> UnreadCountAsync(string personId, DateTimeOffset? readMark, CancellationToken cancellationToken)
    {
        var count = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {personId} and RowKey lt {Upper(readMark)} and Read eq {false}");
        await foreach (var _ in Table.QueryAsync<TableEntity>(filter, maxPerPage: MaxUnreadCount, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (++count >= MaxUnreadCount)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>A fixed id for what <paramref name="about"/> names (newest first like <see cref="NewId"/>).</summary>
    public static string IdFor(DateTimeOffset at, string about)
        => Inverted(at) + "-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(about)))[..8];

    /// <summary>Newest first: ticks counted down from the end of time, then a little randomness.</summary>
    public static string NewId(DateTimeOffset at)
        => Inverted(at) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The shape of every id above: 19 digits, a hyphen, 8 lowercase hex digits.</summary>
    public static bool IsNotificationId(string? id)
        => id is { Length: 28 } && id[19] == '-' && id[..19].All(char.IsAsciiDigit) && id[20..].All(char.IsAsciiHexDigitLower);

    private static string Inverted(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Rows newer than the mark sort before it (a row at the mark itself is read); no mark: the whole inbox.</summary>
    private static string Upper(DateTimeOffset? readMark) => readMark is { } mark ? Inverted(mark) : ReadMarkRow;

    private static Notification From(NotificationEntity row)
        => new(row.RowKey, row.Kind, row.CaseId, row.GrantId, row.ActorId, row.ActorAgencyId, row.At, row.ReferralId, row.Urgent)
        {
            EntryId = row.EntryId,
            EntryType = row.EntryType,
            EntryRow = row.EntryRow,
            Mentioned = row.Mentioned ?? false,
            TaskId = row.TaskId,
            ReadAt = row.Read ? row.ReadAt : null,
        };

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
        EntryId = notification.EntryId,
        EntryType = notification.EntryType,
        EntryRow = notification.EntryRow,
        Mentioned = notification.Mentioned ? true : null,
        TaskId = notification.TaskId,
        Read = false,
    };
}
