using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Entries;
using Serverless.Storage;

namespace Serverless.Cases.Storage;

/// <summary>
/// Case records with every version kept. An update first <em>inserts</em> the row of the next version
/// (insert-only: of two writers from the same version exactly one can create it), then replaces the
/// current row with the storage ETag it read. No table batch carries If-Match (Azurite ignores it
/// there), and no upsert is used for edits (upsert ignores If-Match). A writer that crashes between the
/// two steps leaves a version row ahead of the current row; the next writer that meets it rolls the
/// current row forward, so no saved change is ever lost or left half-done.
/// </summary>
public sealed class CaseStore(StorageClients clients, StorageNames names, TimeProvider clock)
{
    public const string TableName = "Cases";

    /// <summary>The Cases table (the activity log shares each case's partition).</summary>
    internal TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task<StoredCase?> GetAsync(string caseId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<CaseEntity>(caseId, CaseEntity.CurrentRow, cancellationToken: cancellationToken);
        return row.HasValue ? ToStored(row.Value!) : null;
    }

    /// <summary>The case's current row and its activity row in one partition query (the review ledger's read of one
    /// case): the case, or null when it is gone, and when it last saw a report, a comment or a file.</summary>
    public async Task<(StoredCase? Case, DateTimeOffset? LastActivityAt)> GetWithActivityAsync(string caseId, CancellationToken cancellationToken)
    {
        StoredCase? found = null;
        DateTimeOffset? lastActivity = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and (RowKey eq {CaseEntity.CurrentRow} or RowKey eq {CaseEntity.ActivityRow})");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == CaseEntity.ActivityRow)
            {
                lastActivity = row.GetDateTimeOffset("LastActivityAt");
                continue;
            }

            var json = RecordChunks.Join([.. Enumerable.Range(0, 8).Select(i => row.GetString("Record" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
            found = new StoredCase(caseId, row.GetInt64("Version") ?? 0, Deserialize(json), row.GetDateTimeOffset("CreatedAt") ?? default, row.GetDateTimeOffset("ChangedAt") ?? default, row.ETag);
        }

        return (found, lastActivity);
    }

    /// <summary>Creates the case with its first version, atomically (one batch of inserts, no If-Match needed).</summary>
    /// <param name="announce">Called with the timeline entry of the change before anything is written (the entry
    /// outbox); the stored case carries it as <see cref="StoredCase.Change"/> for its event.</param>
    public async Task<StoredCase> CreateAsync(string caseId, CaseRecord record, ChangeAuthor author, string? reason, CancellationToken cancellationToken, Func<StoredEntry, Task>? announce = null)
    {
        var now = clock.GetUtcNow();
        var json = Serialize(record);
        var current = NewRow(caseId, CaseEntity.CurrentRow, 1, now, now, author, null, null, json);
        var first = NewRow(caseId, CaseEntity.VersionRow(1), 1, now, now, author, reason, "[]", json);
        List<TableTransactionAction> batch = [new(TableTransactionActionType.Add, current), new(TableTransactionActionType.Add, first)];
        var registered = CaseChanges.Entry(caseId, 1, null, record, author, reason, now);
        if (registered is not null)
        {
            await (announce?.Invoke(registered) ?? Task.CompletedTask);
            batch.Add(new TableTransactionAction(TableTransactionActionType.Add, EntryRows.Head(registered)));
        }

        try
        {
            var response = await Table.SubmitTransactionAsync(batch, cancellationToken);
            return new StoredCase(caseId, 1, record, now, now, response.Value[0].Headers.ETag ?? default) { Change = registered };
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            // Case ids are new and random: a 409 is the storage client's own retry of a batch storage stored (its
            // answer lost on the way, or late under load), meeting its own rows. That is this case created, not a 500.
            var stored = await Table.GetEntityIfExistsAsync<CaseEntity>(caseId, CaseEntity.VersionRow(1), cancellationToken: cancellationToken);
            var currentRow = await Table.GetEntityIfExistsAsync<CaseEntity>(caseId, CaseEntity.CurrentRow, cancellationToken: cancellationToken);
            if (!stored.HasValue || !currentRow.HasValue || !IsSameVersion(stored.Value!, first) || currentRow.Value!.Version != 1)
            {
                throw;
            }

            return new StoredCase(caseId, 1, record, now, now, currentRow.Value!.ETag) { Change = registered };
        }
    }

    /// <summary>
    /// Saves <paramref name="record"/> as the version after <paramref name="basedOn"/>. Returns the new
    /// state, or null when another change got there first (the caller answers 412).
    /// </summary>
    /// <param name="announce">As for <see cref="CreateAsync"/>.</param>
    /// <param name="extras">Timeline entries and other rows of the case partition saved in the same batch as the version
    /// (a council review and its tasks): all of them exist exactly when the version does.</param>
    public async Task<StoredCase?> UpdateAsync(StoredCase basedOn, CaseRecord record, IReadOnlyList<string> changedFields, ChangeAuthor author, string reason, CancellationToken cancellationToken, Func<StoredEntry, Task>? announce = null, CaseVersionExtras? extras = null)
    {
        var now = clock.GetUtcNow();
        var next = basedOn.Version + 1;
        var json = Serialize(record);
        var version = NewRow(basedOn.CaseId, CaseEntity.VersionRow(next), next, basedOn.CreatedAt, now, author, reason, JsonSerializer.Serialize(changedFields), json);
        // The version and its timeline entry are inserted together: both exist, or neither.
        List<TableTransactionAction> batch = [new(TableTransactionActionType.Add, version)];
        var change = CaseChanges.Entry(basedOn.CaseId, next, basedOn.Record, record, author, reason, now);
        if (change is not null)
        {
            await (announce?.Invoke(change) ?? Task.CompletedTask);
            batch.Add(new TableTransactionAction(TableTransactionActionType.Add, EntryRows.Head(change)));
        }

        foreach (var entry in extras?.Entries ?? [])
        {
            await (announce?.Invoke(entry) ?? Task.CompletedTask);
            batch.Add(new TableTransactionAction(TableTransactionActionType.Add, EntryRows.Head(entry)));
        }

        batch.AddRange((extras?.Rows ?? []).Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)));
        try
        {
            await Table.SubmitTransactionAsync(batch, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            // The storage client's own retry of a batch that storage stored (its answer lost on the way) meets its own
            // version row: that is this change saved, not another writer's, so it is finished here, not answered 412.
            var stored = await Table.GetEntityIfExistsAsync<CaseEntity>(basedOn.CaseId, CaseEntity.VersionRow(next), cancellationToken: cancellationToken);
            await RollForwardAsync(basedOn.CaseId, cancellationToken);
            if (!stored.HasValue || !IsSameVersion(stored.Value!, version))
            {
                return null;
            }

            var saved = await GetAsync(basedOn.CaseId, cancellationToken);
            return saved is not null && saved.Version == next ? saved with { Change = change } : null;
        }

        var current = NewRow(basedOn.CaseId, CaseEntity.CurrentRow, next, basedOn.CreatedAt, now, author, null, null, json);
        try
        {
            var response = await Table.UpdateEntityAsync(current, basedOn.StorageETag, TableUpdateMode.Replace, cancellationToken);
            return new StoredCase(basedOn.CaseId, next, record, basedOn.CreatedAt, now, response.Headers.ETag ?? default) { Change = change };
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Someone rolled our own version forward between our two steps: the change is saved.
            var reread = await GetAsync(basedOn.CaseId, cancellationToken);
            return reread is not null && reread.Version == next ? reread with { Change = change } : null;
        }
    }

    /// <summary>The record as one saved version left it (one point read); null when there is no such version.</summary>
    public async Task<CaseRecord?> VersionAsync(string caseId, long version, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<CaseEntity>(caseId, CaseEntity.VersionRow(version), cancellationToken: cancellationToken);
        return row.HasValue ? Deserialize(row.Value!.GetRecordJson()) : null;
    }

    /// <summary>Every saved version, newest first, a page at a time.</summary>
    public async Task<(IReadOnlyList<CaseVersion> Versions, string? ContinuationToken)> HistoryAsync(string caseId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {"v"} and RowKey lt {"w"}");
        await foreach (var page in Table.QueryAsync<CaseEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            var versions = page.Values.Select(row => new CaseVersion(
                row.Version,
                row.ChangedAt,
                row.ChangedBy,
                row.ChangedByAgency,
                row.Reason,
                JsonSerializer.Deserialize<List<string>>(row.ChangedFields ?? "[]") ?? [],
                Deserialize(row.GetRecordJson()))).ToList();
            return (versions, page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>
    /// When the app saved the version that closed the case as it stands (the oldest of the newest run of closed
    /// versions), by the server's clock; null when the case is missing or not closed. The retention clock runs from
    /// here: <c>closure.decidedOn</c> is the caller's word (a meeting's date, only checked against the future).
    /// </summary>
    public async Task<DateTimeOffset?> ClosedAtAsync(string caseId, CancellationToken cancellationToken)
    {
        DateTimeOffset? closedAt = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {"v"} and RowKey lt {"w"}");
        await foreach (var row in Table.QueryAsync<CaseEntity>(filter, cancellationToken: cancellationToken))
        {
            if (Deserialize(row.GetRecordJson()).Status != CaseStatus.Closed)
            {
                break;
            }

            closedAt = row.ChangedAt;
        }

        return closedAt;
    }

    /// <summary>Completes an update whose writer stopped after saving its version row.</summary>
    private async Task RollForwardAsync(string caseId, CancellationToken cancellationToken)
    {
        var current = await Table.GetEntityIfExistsAsync<CaseEntity>(caseId, CaseEntity.CurrentRow, cancellationToken: cancellationToken);
        if (!current.HasValue)
        {
            return;
        }

        var ahead = await Table.GetEntityIfExistsAsync<CaseEntity>(caseId, CaseEntity.VersionRow(current.Value!.Version + 1), cancellationToken: cancellationToken);
        if (!ahead.HasValue)
        {
            return; // the usual case: the other writer finished
        }

        var version = ahead.Value!;
        var rolled = NewRow(caseId, CaseEntity.CurrentRow, version.Version, current.Value.CreatedAt, version.ChangedAt, new ChangeAuthor(version.ChangedBy, version.ChangedByAgency), null, null, version.GetRecordJson());
        try
        {
            await Table.UpdateEntityAsync(rolled, current.Value.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // The writer finished (or another roll-forward did): nothing left to do.
        }
    }

    /// <summary>The version row is the one this writer sent: same author, instant, reason, fields and record. Another writer's
    /// identical change at the same instant would be indistinguishable, and would have saved the same thing.</summary>
    private static bool IsSameVersion(CaseEntity stored, CaseEntity sent)
        => stored.Version == sent.Version && stored.ChangedAt == sent.ChangedAt && stored.ChangedBy == sent.ChangedBy
            && stored.ChangedByAgency == sent.ChangedByAgency && stored.Reason == sent.Reason && stored.ChangedFields == sent.ChangedFields
            && stored.GetRecordJson() == sent.GetRecordJson();

    private static CaseEntity NewRow(string caseId, string rowKey, long version, DateTimeOffset createdAt, DateTimeOffset changedAt, ChangeAuthor author, string? reason, string? changedFields, string json)
    {
        var row = new CaseEntity
        {
            PartitionKey = caseId,
            RowKey = rowKey,
            Version = version,
            CreatedAt = createdAt,
            ChangedAt = changedAt,
            ChangedBy = author.CallerId,
            ChangedByAgency = author.AgencyId,
            Reason = reason,
            ChangedFields = changedFields,
        };
        row.SetRecordJson(json);
        return row;
    }

    private static StoredCase ToStored(CaseEntity row)
        => new(row.PartitionKey, row.Version, Deserialize(row.GetRecordJson()), row.CreatedAt, row.ChangedAt, row.ETag);

    public static string Serialize(CaseRecord record) => JsonSerializer.Serialize(record, CaseJson.Options);

    private static CaseRecord Deserialize(string json)
        => JsonSerializer.Deserialize<CaseRecord>(json, CaseJson.Options) ?? throw new InvalidDataException("A stored case record is empty.");
}

/// <summary>What a version saves besides itself, in the same batch: timeline entries (announced like the change's own)
/// and rows of the case partition. A batch holds at most 100 rows: callers keep well under that.</summary>
public sealed record CaseVersionExtras(IReadOnlyList<StoredEntry> Entries, IReadOnlyList<ITableEntity> Rows);
