using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.Listing;

/// <summary>
/// Keeps the list index in step with cases without transactions across partitions: new pointers are
/// written <em>before</em> the case changes and old ones removed <em>after</em>, so a crash leaves at
/// most an extra pointer (skipped, and removed, when a list meets it), never a missing one.
/// </summary>
public sealed class CaseIndex(StorageClients clients, StorageNames names)
{
    public const string TableName = "CaseIndex";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public static IReadOnlyList<(string Partition, string Row)> Pointers(string caseId, CaseRecord record)
    {
        var row = CaseIndexEntity.Row(record.NextReviewDate, caseId);
        var agencies = new[] { record.LeadAgencyId, record.KeyAgencyId }
            .Concat(record.Participants.Select(participation => participation.AgencyId))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        return [(CaseIndexEntity.StatusPartition(record.Status), row), .. agencies.Select(agency => (CaseIndexEntity.AgencyPartition(agency), row))];
    }

    /// <summary>
    /// The last day each pointer's agency takes part (<c>yyyyMMdd</c>; <see cref="CaseIndexEntity.Open"/> for the
    /// status partition, the lead and key agencies, and open-ended participations). Member lists filter on it
    /// at the table, so a nursery's list does not keep reading cases it left long ago.
    /// </summary>
    public static IReadOnlyDictionary<(string Partition, string Row), string> ActiveUntil(string caseId, CaseRecord record)
    {
        var until = Pointers(caseId, record).ToDictionary(pointer => pointer, _ => CaseIndexEntity.Open);
        var row = CaseIndexEntity.Row(record.NextReviewDate, caseId);
        foreach (var agency in record.Participants.GroupBy(participation => participation.AgencyId))
        {
            if (agency.Key == record.LeadAgencyId || agency.Key == record.KeyAgencyId || agency.Any(participation => participation.To is null))
            {
                continue;
            }

            until[(CaseIndexEntity.AgencyPartition(agency.Key), row)] = CaseIndexEntity.Day(agency.Max(participation => participation.To!.Value));
        }

        return until;
    }

    /// <summary>Writes the pointers <paramref name="after"/> needs that <paramref name="before"/> did not have
    /// (or had with other contents).</summary>
    public async Task WriteAheadAsync(string caseId, CaseRecord? before, CaseRecord after, CancellationToken cancellationToken)
    {
        var existing = before is null ? new Dictionary<(string, string), string>() : ActiveUntil(caseId, before);
        var unchangedShape = before is not null && before.Category == after.Category && before.Status == after.Status;
        // Pointers live in different partitions: no batch can hold them, so they are written side by side.
        await Task.WhenAll(ActiveUntil(caseId, after)
            .Where(pointer => !(unchangedShape && existing.TryGetValue(pointer.Key, out var until) && until == pointer.Value))
            .Select(pointer => Table.UpsertEntityAsync(
                new CaseIndexEntity
                {
                    PartitionKey = pointer.Key.Partition,
                    RowKey = pointer.Key.Row,
                    CaseId = caseId,
                    Category = CaseIndexEntity.Name(after.Category),
                    Status = CaseIndexEntity.Name(after.Status),
                    ActiveUntil = pointer.Value,
                },
                TableUpdateMode.Replace,
                cancellationToken)));
    }

    /// <summary>Removes the pointers <paramref name="before"/> had that <paramref name="after"/> does not.</summary>
    public async Task RemoveStaleAsync(string caseId, CaseRecord before, CaseRecord after, CancellationToken cancellationToken)
    {
        var keep = Pointers(caseId, after).ToHashSet();
        await Task.WhenAll(Pointers(caseId, before).Where(pointer => !keep.Contains(pointer)).Select(pointer => RemoveAsync(pointer.Partition, pointer.Row, cancellationToken)));
    }

    public async Task RemoveAsync(string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // already gone
        }
    }

    /// <summary>
    /// Up to <paramref name="take"/> pointers of one partition in row-key order (next review date, then case id), strictly
    /// after <paramref name="after"/> and, with <paramref name="reviewDueBefore"/>, due before that day. Reads no more
    /// rows than it returns (the service may cut a page short: then it asks again from the last row). <c>More</c> says
    /// whether rows may follow the last one returned.
    /// </summary>
    /// <param name="statuses">Pointers of these statuses only (empty: any).</param>
    /// <param name="activeOn">Only pointers whose agency still takes part on that day (member lists).</param>
    public async Task<(IReadOnlyList<CaseIndexEntity> Rows, bool More)> RangeAsync(string partition, IReadOnlyCollection<CaseStatus> statuses, string? after, DateOnly? reviewDueBefore, DateOnly? activeOn, int take, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (after is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {after}");
        }

        if (reviewDueBefore is { } before)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {CaseIndexEntity.Day(before)}");
        }

        if (activeOn is { } day)
        {
            filter += " and " + TableClient.CreateQueryFilter($"ActiveUntil ge {CaseIndexEntity.Day(day)}");
        }

        if (statuses.Count > 0)
        {
            filter += " and (" + string.Join(" or ", statuses.Select(status => TableClient.CreateQueryFilter($"Status eq {CaseIndexEntity.Name(status)}"))) + ")";
        }

        var rows = new List<CaseIndexEntity>();
        string? token = null;
        // The service may answer a page short (and with a token): ask again until the page is full or the range ends.
        do
        {
            var asked = false;
            await foreach (var page in Table.QueryAsync<CaseIndexEntity>(filter, take - rows.Count, cancellationToken: cancellationToken).AsPages(token, take - rows.Count))
            {
                rows.AddRange(page.Values.Take(take - rows.Count));
                token = page.ContinuationToken;
                asked = true;
                break;
            }

            if (!asked)
            {
                token = null;
            }
        }
        while (token is not null && rows.Count < take);

        return (rows, token is not null);
    }

    /// <summary>One page of pointers from one partition (a single query), with optional status, category and review-date filters.</summary>
    /// <param name="activeOn">Only pointers whose agency still takes part on that day (member lists).</param>
    public async Task<(IReadOnlyList<CaseIndexEntity> Rows, string? ContinuationToken)> PageAsync(string partition, CaseStatus? status, CaseCategory? category, DateOnly? reviewDueBefore, DateOnly? activeOn, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (activeOn is { } day)
        {
            filter += " and " + TableClient.CreateQueryFilter($"ActiveUntil ge {CaseIndexEntity.Day(day)}");
        }

        if (status is { } wantedStatus)
        {
            // In an agency's partition: pointers carry the status, so other statuses are not even read.
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {CaseIndexEntity.Name(wantedStatus)}");
        }

        if (category is { } wanted)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Category eq {CaseIndexEntity.Name(wanted)}");
        }

        if (reviewDueBefore is { } before)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {before.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)}");
        }

        await foreach (var page in Table.QueryAsync<CaseIndexEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }
}
