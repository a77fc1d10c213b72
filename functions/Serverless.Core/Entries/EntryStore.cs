using Azure;
using Azure.Data.Tables;
using Serverless.Cases.Storage;
using Serverless.Storage;

namespace Serverless.Entries;

/// <summary>
/// The entries of a case, in its partition of the Cases table. Every write is one table batch (atomic): a new
/// entry's head and first version (with the request's idempotency record when it has one); a correction's new
/// version with the head it replaces; a redaction's head with every version. A version is always an insert, so
/// of two corrections made from the same version exactly one lands, even where a batch's If-Match is ignored
/// (Azurite, issue 1233). The case's <c>current</c> row is never touched, so an entry arriving never changes the
/// record's ETag.
/// </summary>
public sealed class EntryStore(CaseStore cases)
{
    private TableClient Table => cases.Table;

    /// <summary>Stores a new entry: its head and first version, and <paramref name="alsoInBatch"/> (an idempotency
    /// record) in the same batch. False when a row of the batch already exists (another attempt with the same
    /// idempotency key completed first): nothing was stored.</summary>
    public async Task<bool> AddAsync(StoredEntry entry, IEnumerable<TableTransactionAction> alsoInBatch, CancellationToken cancellationToken)
    {
        return await SubmitAsync(
            [
                .. alsoInBatch,
                new(TableTransactionActionType.Add, EntryRows.Head(entry)),
                new(TableTransactionActionType.Add, EntryRows.VersionOf(entry)),
            ],
            cancellationToken);
    }

    /// <summary>Every version of an entry, oldest first (one range query in the case partition); empty when there is none.</summary>
    public async Task<IReadOnlyList<StoredEntry>> VersionsAsync(string caseId, string entryId, CancellationToken cancellationToken)
    {
        var prefix = EntryEntity.VersionPrefix + entryId + "-v";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        var versions = new List<StoredEntry>();
        await foreach (var row in Table.QueryAsync<EntryEntity>(filter, cancellationToken: cancellationToken))
        {
            versions.Add(EntryRows.From(row));
        }

        return versions;
    }

    /// <summary>The timeline head of an entry whose versions were read (it carries the ETag an edit needs).</summary>
    public async Task<StoredEntry?> HeadAsync(string caseId, string timelineRow, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<EntryEntity>(caseId, timelineRow, cancellationToken: cancellationToken);
        return row.HasValue ? EntryRows.From(row.Value!) : null;
    }

    /// <summary>Saves <paramref name="next"/> as a new version and the head's new content, based on
    /// <paramref name="head"/> as read. False when someone else changed the entry first.</summary>
    public async Task<bool> CorrectAsync(StoredEntry head, StoredEntry next, CancellationToken cancellationToken)
    {
        var newHead = EntryRows.Head(next);
        newHead.RowKey = head.TimelineRow!;
        return await SubmitAsync(
            [
                new(TableTransactionActionType.Add, EntryRows.VersionOf(next)),
                new(TableTransactionActionType.UpdateReplace, newHead, head.ETag),
            ],
            cancellationToken);
    }

    /// <summary>Adds <paramref name="fileIds"/> to the entry's head and newest version (as read), with
    /// <paramref name="alsoInBatch"/> (the files' own rows). False when any of them changed since it was read.</summary>
    public async Task<bool> AttachFilesAsync(StoredEntry head, StoredEntry latest, IReadOnlyList<string> fileIds, IEnumerable<TableTransactionAction> alsoInBatch, CancellationToken cancellationToken)
    {
        var newHead = EntryRows.Head(head with { FileIds = [.. head.FileIds ?? [], .. fileIds] });
        newHead.RowKey = head.TimelineRow!;
        return await SubmitAsync(
            [
                .. alsoInBatch,
                new(TableTransactionActionType.UpdateReplace, newHead, head.ETag),
                new(TableTransactionActionType.UpdateReplace, EntryRows.VersionOf(latest with { FileIds = [.. latest.FileIds ?? [], .. fileIds] }), latest.ETag),
            ],
            cancellationToken);
    }

    /// <summary>Replaces the head and every version with their redacted form, in one batch. False when the entry changed since it was read.</summary>
    public async Task<bool> RedactAsync(StoredEntry head, IReadOnlyList<StoredEntry> versions, Func<StoredEntry, StoredEntry> redact, CancellationToken cancellationToken)
    {
        var newHead = EntryRows.Head(redact(head));
        newHead.RowKey = head.TimelineRow!;
        List<TableTransactionAction> batch = [new(TableTransactionActionType.UpdateReplace, newHead, head.ETag)];
        batch.AddRange(versions.Select(version => new TableTransactionAction(TableTransactionActionType.UpdateReplace, EntryRows.VersionOf(redact(version)), version.ETag)));
        return await SubmitAsync(batch, cancellationToken);
    }

    /// <summary>
    /// One page of the timeline, newest first: one range query over the heads of one partition, whatever the
    /// number of cases and entries elsewhere. <paramref name="types"/> null: every type.
    /// </summary>
    public async Task<(IReadOnlyList<StoredEntry> Entries, string? ContinuationToken)> PageAsync(
        string caseId, IReadOnlyCollection<EntryType>? types, DateTimeOffset? before, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var from = before is { } time ? EntryEntity.TimelineRowKeyBefore(time) : EntryEntity.TimelinePrefix;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {from} and RowKey lt {"u"}");
        if (types is { Count: > 0 })
        {
            // Each piece is built by CreateQueryFilter, so nothing a caller sent is ever spliced in as text.
            filter += " and (" + string.Join(" or ", types.Select(type => TableClient.CreateQueryFilter($"Type eq {EntryRows.Name(type)}"))) + ")";
        }

        await foreach (var page in Table.QueryAsync<EntryEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return (page.Values.Select(EntryRows.From).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>One batch; false when a row it inserts already exists (409), or a row it replaces changed (412) or went (404).</summary>
    private async Task<bool> SubmitAsync(IReadOnlyList<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(batch, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }
}
