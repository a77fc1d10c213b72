using Azure;
using Azure.Data.Tables;
using Serverless.Cases.Storage;
using Serverless.Storage;

namespace Serverless.Files.Storage;

/// <summary>
/// The files of a case: their rows in the case's partition of the Cases table, and the pending pointer each keeps
/// until it is attached to an entry. A new file's pointer is written first, so no row can exist that the sweep
/// would not find.
/// </summary>
public sealed class CaseFiles(CaseStore cases, StorageClients clients, StorageNames names)
{
    public const string PendingTable = "FilePending";

    /// <summary>At most this many files are listed for one case (a partition range query, one page).</summary>
    public const int MaxListed = 1000;

    private TableClient Table => cases.Table;

    private TableClient Pending => clients.Tables.GetTableClient(names.Table(PendingTable));

    /// <summary>Stores a new file's pointer, then its row. Returns it with its ETag.</summary>
    public async Task<StoredFile> AddAsync(StoredFile file, CancellationToken cancellationToken)
    {
        // File ids are 128 random bits: a 409 on either insert is the storage client's own retry meeting the row it stored
        // (the first answer lost on the way), not another file's. Taken as stored, not as a failure that leaves them behind.
        try
        {
            await Pending.AddEntityAsync(new PendingFileEntity { RowKey = PendingFileEntity.Row(file.UploadedAt, file.FileId), CaseId = file.CaseId, FileId = file.FileId, UploadedAt = file.UploadedAt }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
        }

        try
        {
            var response = await Table.AddEntityAsync(FileRows.Row(file), cancellationToken);
            return file with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await GetAsync(file.CaseId, file.FileId, cancellationToken) ?? throw new InvalidOperationException($"File {file.FileId} was refused as existing and is not there.");
        }
    }

    public async Task<StoredFile?> GetAsync(string caseId, string fileId, CancellationToken cancellationToken)
    {
        if (!FileIds.IsValid(fileId))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<FileEntity>(caseId, FileEntity.Row(fileId), cancellationToken: cancellationToken);
        return row.HasValue ? FileRows.From(row.Value!) : null;
    }

    /// <summary>Every file of the case, oldest id first (one range query in the case partition).</summary>
    public async Task<IReadOnlyList<StoredFile>> ListAsync(string caseId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {FileEntity.RowPrefix} and RowKey lt {"file."}");
        var files = new List<StoredFile>();
        await foreach (var row in Table.QueryAsync<FileEntity>(filter, cancellationToken: cancellationToken))
        {
            files.Add(FileRows.From(row));
            if (files.Count == MaxListed)
            {
                break;
            }
        }

        return files;
    }

    /// <summary>Saves <paramref name="file"/> over the row it was read as. False when the row changed or is gone.</summary>
    public async Task<StoredFile?> ReplaceAsync(StoredFile file, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(FileRows.Row(file), file.ETag, TableUpdateMode.Replace, cancellationToken);
            return file with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>
    /// As <see cref="ReplaceAsync(StoredFile, CancellationToken)"/>, when a 412 may be the storage client's own retry
    /// meeting the row it had just replaced (the first answer lost on the way): the row is read again, and if
    /// <paramref name="isSent"/> says it holds what was sent, the replace is done. Null as before otherwise.
    /// </summary>
    public async Task<StoredFile?> ReplaceAsync(StoredFile file, Func<StoredFile, bool> isSent, CancellationToken cancellationToken)
    {
        if (await ReplaceAsync(file, cancellationToken) is { } replaced)
        {
            return replaced;
        }

        var current = await GetAsync(file.CaseId, file.FileId, cancellationToken);
        return current is not null && isSent(current) ? current : null;
    }

    /// <summary>The batch action that attaches <paramref name="file"/> (as read) to an entry: in the entry's own batch.</summary>
    public static TableTransactionAction Attach(StoredFile file, string entryId, DateTimeOffset at)
        => new(TableTransactionActionType.UpdateReplace, FileRows.Row(file with { EntryId = entryId, AttachedAt = at }), file.ETag);

    /// <summary>Deletes the file's row (whatever it holds now) and its pointer. Idempotent.</summary>
    public async Task DeleteAsync(StoredFile file, CancellationToken cancellationToken)
    {
        await IgnoreMissing(Table.DeleteEntityAsync(file.CaseId, FileEntity.Row(file.FileId), ETag.All, cancellationToken));
        await ReleaseAsync(file, cancellationToken);
    }

    /// <summary>Removes the pending pointer of a file now attached (or deleted). Idempotent.</summary>
    public Task ReleaseAsync(StoredFile file, CancellationToken cancellationToken)
        => IgnoreMissing(Pending.DeleteEntityAsync(PendingFileEntity.Partition, PendingFileEntity.Row(file.UploadedAt, file.FileId), ETag.All, cancellationToken));

    /// <summary>Pointers of files uploaded before <paramref name="before"/>, oldest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<PendingFileEntity>> PendingAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingFileEntity.Partition} and RowKey lt {PendingFileEntity.RowAt(before)}");
        var pending = new List<PendingFileEntity>();
        await foreach (var row in Pending.QueryAsync<PendingFileEntity>(filter, maxPerPage: max, cancellationToken: cancellationToken))
        {
            pending.Add(row);
            if (pending.Count == max)
            {
                break;
            }
        }

        return pending;
    }

    /// <summary>Deletes a pointer whose file row is already gone (erased with its case, or swept).</summary>
    public Task DropPointerAsync(PendingFileEntity pointer, CancellationToken cancellationToken)
        => IgnoreMissing(Pending.DeleteEntityAsync(pointer.PartitionKey, pointer.RowKey, ETag.All, cancellationToken));

    private static async Task IgnoreMissing(Task<Response> delete)
    {
        try
        {
            await delete;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // already gone
        }
    }
}
