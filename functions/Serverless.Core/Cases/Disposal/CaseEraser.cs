using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Cases.BreakGlass;
using Serverless.Cases.Listing;
using Serverless.Cases.Search;
using Serverless.Cases.Storage;
using Serverless.Notifications;
using Serverless.Referrals;
using Serverless.Storage;

namespace Serverless.Cases.Disposal;

/// <summary>How many rows or blobs of one kind a disposal removes (or would remove). Never contents.</summary>
public sealed record ErasureCount(string Store, int Count);

/// <summary>
/// Finds and deletes every copy of one case the app keeps: the case partition (current row, every version,
/// record chunks, the activity row), list pointers, child search keys, break-glass grants, inbox rows naming
/// the case, announcements of its entries still waiting for their fan-out, released legal holds, its attendance-list entries with their monthly rows, absences and alerts, its tasks' reminder pointers, pointers of its files
/// not yet attached (the files' rows are in the case partition), the referrals that became part of it (every row naming them: the referrer's
/// identity goes with the child's case), and blobs under <c>cases/{caseId}/</c> in the app's containers with their
/// versions. The audit tables and the seal container are never touched: they hold ids only, and the chain
/// must stay verifiable. Every step is a fresh query and deletes ignore 404, so running it again after a crash
/// finishes the job. Given a referral's id instead of a case's (a referral closed with no further action, disposed of
/// on its own), it erases that referral's rows only.
/// </summary>
public sealed class CaseEraser(StorageClients clients, StorageNames names, IOptions<StorageResources> resources)
{
    public const string BlobPrefix = "cases/";

    /// <summary>Counts, store by store, of what <see cref="EraseAsync"/> would delete. Reads only.</summary>
    public async Task<IReadOnlyList<ErasureCount>> PlanAsync(string caseId, CancellationToken cancellationToken)
    {
        if (ReferralIds.IsValid(caseId))
        {
            return ReferralCounts(await RowsOfReferralAsync(caseId, cancellationToken));
        }

        var counts = new List<ErasureCount>();
        foreach (var (table, filter) in TableFilters(caseId))
        {
            counts.Add(new ErasureCount(table, (await KeysAsync(table, filter, cancellationToken)).Count));
        }

        counts.AddRange(ReferralCounts(await ReferralRowsAsync(caseId, cancellationToken)));

        foreach (var container in Containers())
        {
            var (live, versions, softDeleted) = Count(await BlobsAsync(container, caseId, cancellationToken));
            counts.Add(new ErasureCount("blob:" + container, live));
            counts.Add(new ErasureCount("blob-version:" + container, versions));
            counts.Add(new ErasureCount("blob-soft-deleted:" + container, softDeleted));
        }

        return counts;
    }

    /// <summary>Deletes everything <see cref="PlanAsync"/> counts. The case's <c>current</c> row goes first, so the case
    /// answers 404 from the first moment; the rest follows. Idempotent.</summary>
    public async Task<IReadOnlyList<ErasureCount>> EraseAsync(string caseId, CancellationToken cancellationToken)
    {
        if (ReferralIds.IsValid(caseId))
        {
            return await EraseReferralRowsAsync(await RowsOfReferralAsync(caseId, cancellationToken), cancellationToken);
        }

        await DeleteAsync(Table(CaseStore.TableName), caseId, CaseEntity.CurrentRow, cancellationToken);
        var counts = new List<ErasureCount>();
        foreach (var (table, filter) in TableFilters(caseId))
        {
            var client = Table(table);
            var keys = await KeysAsync(table, filter, cancellationToken);
            foreach (var (partition, row) in keys)
            {
                await DeleteAsync(client, partition, row, cancellationToken);
            }

            counts.Add(new ErasureCount(table, keys.Count));
        }

        counts.AddRange(await EraseReferralRowsAsync(await ReferralRowsAsync(caseId, cancellationToken), cancellationToken));

        foreach (var container in Containers())
        {
            var client = clients.Blobs.GetBlobContainerClient(names.Container(container));
            var blobs = await BlobsAsync(container, caseId, cancellationToken);
            var deleted = 0;
            foreach (var blob in blobs.Where(blob => !blob.Deleted))
            {
                var target = client.GetBlobClient(blob.Name);
                var response = blob.VersionId is { } versionId && blob.IsLatestVersion != true
                    ? await target.WithVersion(versionId).DeleteIfExistsAsync(cancellationToken: cancellationToken)
                    : await target.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
                deleted += response.Value ? 1 : 0;
            }

            counts.Add(new ErasureCount("blob:" + container, deleted));
        }

        return counts;
    }

    /// <summary>The tables a case leaves rows in, each with the filter that finds them (built with
    /// <see cref="TableClient.CreateQueryFilter(System.FormattableString)"/>). Tables keyed by something else than the
    /// case id (pointers, search keys, inboxes) are scanned: disposals are rare and run from the ops tool.</summary>
    private static IEnumerable<(string Table, string Filter)> TableFilters(string caseId) =>
    [
        (CaseStore.TableName, TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")),
        (CaseIndex.TableName, TableClient.CreateQueryFilter($"CaseId eq {caseId}")),
        (ChildIndex.TableName, TableClient.CreateQueryFilter($"RowKey eq {caseId}")),
        (BreakGlassGrants.TableName, TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")),
        (NotificationInbox.TableName, TableClient.CreateQueryFilter($"CaseId eq {caseId}")),
        (EntryOutbox.TableName, TableClient.CreateQueryFilter($"CaseId eq {caseId}")),
        (LegalHolds.TableName, TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")),
        (Files.Storage.CaseFiles.PendingTable, TableClient.CreateQueryFilter($"CaseId eq {caseId}")),
        (Attendance.AttendanceStore.TableName, TableClient.CreateQueryFilter($"CaseId eq {caseId}")),
        (Council.Tasks.TaskReminders.TableName, TableClient.CreateQueryFilter($"CaseId eq {caseId}")),
    ];

    /// <summary>Every row of the referrals that became part of the case (see <see cref="RowsOfReferralAsync"/>).</summary>
    private async Task<IReadOnlyList<(string Table, string Partition, string Row)>> ReferralRowsAsync(string caseId, CancellationToken cancellationToken)
    {
        var heads = await KeysAsync(ReferralStore.TableName, TableClient.CreateQueryFilter($"CaseId eq {caseId} and RowKey eq {ReferralEntity.HeadRow}"), cancellationToken);
        var rows = new List<(string, string, string)>();
        foreach (var (referralId, _) in heads)
        {
            rows.AddRange(await RowsOfReferralAsync(referralId, cancellationToken));
        }

        return rows;
    }

    /// <summary>Every row of one referral: its escalations in inboxes, its own partition whole (the idempotency record of
    /// the request that created it included) and every pointer, its head last: it is what names the case (or what the
    /// disposal run reads), so a run that stops halfway finds the referral the next time.</summary>
    private async Task<IReadOnlyList<(string Table, string Partition, string Row)>> RowsOfReferralAsync(string referralId, CancellationToken cancellationToken)
    {
        var byReferral = TableClient.CreateQueryFilter($"ReferralId eq {referralId}");
        var rows = new List<(string, string, string)>();
        rows.AddRange((await KeysAsync(NotificationInbox.TableName, byReferral, cancellationToken)).Select(key => (NotificationInbox.TableName, key.Partition, key.Row)));
        var referralRows = TableClient.CreateQueryFilter($"PartitionKey eq {referralId} or ReferralId eq {referralId}");
        rows.AddRange((await KeysAsync(ReferralStore.TableName, referralRows, cancellationToken))
            .OrderBy(key => key.Partition == referralId && key.Row == ReferralEntity.HeadRow)
            .Select(key => (ReferralStore.TableName, key.Partition, key.Row)));
        return rows;
    }

    private async Task<IReadOnlyList<ErasureCount>> EraseReferralRowsAsync(IReadOnlyList<(string Table, string Partition, string Row)> rows, CancellationToken cancellationToken)
    {
        foreach (var (table, partition, row) in rows)
        {
            await DeleteAsync(Table(table), partition, row, cancellationToken);
        }

        return ReferralCounts(rows);
    }

    private static IReadOnlyList<ErasureCount> ReferralCounts(IReadOnlyList<(string Table, string Partition, string Row)> rows)
        => [.. rows.GroupBy(key => key.Table).Select(group => new ErasureCount("referral:" + group.Key, group.Count()))];

    /// <summary>Every container the app declares except the audit seals (which hold ids and hashes only).</summary>
    private IEnumerable<string> Containers()
        => resources.Value.Containers.Where(container => container != AuditTables.SealContainer);

    private TableClient Table(string table) => clients.Tables.GetTableClient(names.Table(table));

    private async Task<IReadOnlyList<(string Partition, string Row)>> KeysAsync(string table, string filter, CancellationToken cancellationToken)
    {
        var keys = new List<(string, string)>();
        try
        {
            await foreach (var row in Table(table).QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                keys.Add((row.PartitionKey, row.RowKey));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // the table does not exist (yet): nothing of the case in it
        }

        return keys;
    }

    private static async Task DeleteAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // already gone (an earlier, interrupted run)
        }
    }

    /// <summary>Blobs under the case's prefix, with every version and, where the service keeps them, soft-deleted ones.</summary>
    private async Task<IReadOnlyList<BlobItem>> BlobsAsync(string container, string caseId, CancellationToken cancellationToken)
    {
        var client = clients.Blobs.GetBlobContainerClient(names.Container(container));
        var found = new List<BlobItem>();
        try
        {
            await foreach (var blob in client.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobPrefix + caseId + "/", States = BlobStates.Version | BlobStates.Deleted }, cancellationToken))
            {
                found.Add(blob);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // no such container
        }

        return found;
    }

    private static (int Live, int Versions, int SoftDeleted) Count(IReadOnlyList<BlobItem> blobs)
        => (blobs.Count(blob => !blob.Deleted && (blob.VersionId is null || blob.IsLatestVersion == true)),
            blobs.Count(blob => !blob.Deleted && blob.VersionId is not null && blob.IsLatestVersion != true),
            blobs.Count(blob => blob.Deleted));
}
