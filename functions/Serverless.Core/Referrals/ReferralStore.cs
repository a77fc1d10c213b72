using Azure;
using Azure.Data.Tables;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Referrals;

/// <summary>
/// The Referrals table. A referral's head and its parts share its partition, so a confirmation and the head it
/// changes are one batch. Pointers (the open list, each submitter's receipts, receipt numbers, the month of receipt)
/// live in their own partitions and are written before the referral: a pointer to nothing is harmless (skipped by its
/// readers; the open list's is dropped by the clock), while a referral without its pointer would be missing from the
/// coordinators' list or from the counts.
/// </summary>
public sealed class ReferralStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "Referrals";

    /// <summary>How many heads the counts read at once: a year of a town's referrals (a few hundred) in well under a second,
    /// without one request holding dozens of connections.</summary>
    private const int HeadReadsInParallel = 8;

    public TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>Reserves a new receipt number for <paramref name="referralId"/> (a collision draws again).</summary>
    public async Task<string> ReserveReceiptAsync(string referralId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var number = ReceiptNumbers.New();
            try
            {
                await Table.AddEntityAsync(ReferralRows.ReceiptPointer(referralId, number), cancellationToken);
                return number;
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && attempt < 5)
            {
                // taken: draw another
            }
        }
    }

    /// <summary>The pointers of a referral about to be stored: on the open list (not yet confirmed), in its submitter's
    /// receipts and in the month it was received (for the counts).</summary>
    public async Task PointAheadAsync(StoredReferral referral, CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Table.UpsertEntityAsync(ReferralRows.OpenPointer(referral, confirmed: false, []), TableUpdateMode.Replace, cancellationToken),
            Table.UpsertEntityAsync(ReferralRows.MonthPointer(referral), TableUpdateMode.Replace, cancellationToken),
            Table.UpsertEntityAsync(ReferralRows.SubmitterPointer(referral), TableUpdateMode.Replace, cancellationToken));
    }

    /// <summary>Stores a new referral's head with <paramref name="alsoInBatch"/> (its idempotency record). False when a
    /// row already exists: another attempt with the same key stored it first.</summary>
    public Task<bool> CreateAsync(StoredReferral referral, IEnumerable<TableTransactionAction> alsoInBatch, CancellationToken cancellationToken)
        => SubmitAsync([.. alsoInBatch, new(TableTransactionActionType.Add, ReferralRows.Head(referral))], cancellationToken);

    public async Task<StoredReferral?> GetAsync(string referralId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ReferralEntity>(referralId, ReferralEntity.HeadRow, cancellationToken: cancellationToken);
        return row.HasValue ? ReferralRows.From(row.Value!) : null;
    }

    /// <summary>Replaces the head as read (<see cref="StoredReferral.ETag"/>); null when it changed since.</summary>
    public async Task<StoredReferral?> UpdateAsync(StoredReferral referral, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(ReferralRows.Head(referral), referral.ETag, TableUpdateMode.Replace, cancellationToken);
            return referral with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return null;
        }
    }

    /// <summary>A confirmation and the head it changes, in one batch. False when the head changed since it was read.</summary>
    public Task<bool> AddConfirmationAsync(StoredReferral changed, SafetyConfirmation confirmation, CancellationToken cancellationToken)
        => SubmitAsync(
            [
                new(TableTransactionActionType.Add, ReferralRows.Confirmation(changed.ReferralId, confirmation)),
                new(TableTransactionActionType.UpdateReplace, ReferralRows.Head(changed), changed.ETag),
            ],
            cancellationToken);

    /// <summary>The referral's confirmations (oldest recorded first) and escalations: one query of its partition.</summary>
    public async Task<(IReadOnlyList<SafetyConfirmation> Confirmations, IReadOnlyList<Escalation> Escalations)> PartsAsync(string referralId, CancellationToken cancellationToken)
    {
        var confirmations = new List<SafetyConfirmation>();
        var escalations = new List<Escalation>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {referralId} and RowKey ge {ReferralEntity.ConfirmationPrefix} and RowKey lt {"y"}");
        await foreach (var row in Table.QueryAsync<ReferralPartEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(ReferralEntity.ConfirmationPrefix, StringComparison.Ordinal))
            {
                confirmations.Add(ReferralRows.Part<SafetyConfirmation>(row));
            }
            else if (row.RowKey.StartsWith(ReferralEntity.EscalationPrefix, StringComparison.Ordinal))
            {
                escalations.Add(ReferralRows.Part<Escalation>(row));
            }
        }

        return (confirmations, escalations);
    }

    /// <summary>Records a stage raised, once: the stage as first recorded (with whom it was to tell), whoever records it.</summary>
    public async Task<Escalation> RaiseAsync(string referralId, Escalation escalation, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(ReferralRows.Escalation(referralId, escalation), cancellationToken);
            return escalation;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await Table.GetEntityAsync<ReferralPartEntity>(referralId, ReferralRows.EscalationRow(escalation.Stage), cancellationToken: cancellationToken);
            return ReferralRows.Part<Escalation>(existing.Value);
        }
    }

    public Task MarkNotifiedAsync(string referralId, Escalation escalation, CancellationToken cancellationToken)
        => Table.UpsertEntityAsync(ReferralRows.Escalation(referralId, escalation), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Every pointer on the open list: one partition query, however many referrals are closed.</summary>
    public async Task<IReadOnlyList<ReferralIndexEntity>> OpenAsync(CancellationToken cancellationToken)
    {
        var rows = new List<ReferralIndexEntity>();
        await foreach (var row in Table.QueryAsync<ReferralIndexEntity>(row => row.PartitionKey == ReferralIndexEntity.OpenPartition, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Puts the open list's pointer in line with the referral: kept (confirmed) while it is open, removed once it
    /// is not. <paramref name="stages"/>: the escalation stages raised, or null to leave those the pointer has.</summary>
    public async Task SyncPointerAsync(StoredReferral referral, IReadOnlyList<EscalationStage>? stages, CancellationToken cancellationToken)
    {
        if (!referral.IsOpen)
        {
            await DeleteAsync(ReferralIndexEntity.OpenPartition, referral.ReferralId, cancellationToken);
            return;
        }

        var pointer = ReferralRows.OpenPointer(referral, confirmed: true, stages ?? []);
        var row = new TableEntity(pointer.PartitionKey, pointer.RowKey)
        {
            [nameof(ReferralIndexEntity.SchemaVersion)] = pointer.SchemaVersion,
            [nameof(ReferralIndexEntity.ReferralId)] = pointer.ReferralId,
            [nameof(ReferralIndexEntity.ReceiptNumber)] = pointer.ReceiptNumber,
            [nameof(ReferralIndexEntity.Kind)] = pointer.Kind,
            [nameof(ReferralIndexEntity.State)] = pointer.State,
            [nameof(ReferralIndexEntity.ReceivedAt)] = pointer.ReceivedAt,
            [nameof(ReferralIndexEntity.DeadlineAt)] = pointer.DeadlineAt,
            [nameof(ReferralIndexEntity.ClockRunning)] = pointer.ClockRunning,
            [nameof(ReferralIndexEntity.Confirmed)] = true,
        };
        if (stages is not null)
        {
            row[nameof(ReferralIndexEntity.Stages)] = pointer.Stages ?? "";
        }

        await Table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    public Task DropPointerAsync(string referralId, CancellationToken cancellationToken)
        => DeleteAsync(ReferralIndexEntity.OpenPartition, referralId, cancellationToken);

    /// <summary>One page of what <paramref name="submitterId"/> submitted, newest first.</summary>
    public async Task<(IReadOnlyList<ReferralIndexEntity> Rows, string? ContinuationToken)> SubmittedByAsync(string submitterId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var partition = ReferralIndexEntity.SubmitterPartition(submitterId);
        await foreach (var page in Table.QueryAsync<ReferralIndexEntity>(row => row.PartitionKey == partition, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>
    /// The referrals received from <paramref name="from"/> (inclusive) to <paramref name="before"/> (exclusive): one query
    /// of each month's pointer partition, then the heads, read side by side. A pointer whose referral was never stored
    /// (its request failed after writing it) is skipped; one month's pointer to a referral received in another (a retry
    /// across midnight) is left to the caller, which counts each referral by its own receipt time.
    /// </summary>
    public async Task<IReadOnlyList<StoredReferral>> ReceivedAsync(DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var month = FirstOfMonth(JapanTime.DateOf(from)); JapanTime.StartOfDay(month) < before; month = month.AddMonths(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReferralIndexEntity.MonthPartition(month)} and ReceivedAt ge {from} and ReceivedAt lt {before}");
            await foreach (var row in Table.QueryAsync<ReferralIndexEntity>(filter, select: [nameof(ReferralIndexEntity.ReferralId)], cancellationToken: cancellationToken))
            {
                ids.Add(row.ReferralId);
            }
        }

        var referrals = new System.Collections.Concurrent.ConcurrentBag<StoredReferral>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = HeadReadsInParallel, CancellationToken = cancellationToken }, async (referralId, token) =>
        {
            if (await GetAsync(referralId, token) is { } referral)
            {
                referrals.Add(referral);
            }
        });
        return [.. referrals.OrderBy(referral => referral.ReceivedAt).ThenBy(referral => referral.ReferralId, StringComparer.Ordinal)];
    }

    /// <summary>The referral a receipt number was given to, or null.</summary>
    public async Task<string?> ByReceiptAsync(string number, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ReferralIndexEntity>(ReferralIndexEntity.ReceiptPartition, number, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ReferralId : null;
    }

    private static DateOnly FirstOfMonth(DateOnly day) => new(day.Year, day.Month, 1);

    private async Task DeleteAsync(string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // gone already
        }
    }

    private async Task<bool> SubmitAsync(IReadOnlyList<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(batch, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }
}
