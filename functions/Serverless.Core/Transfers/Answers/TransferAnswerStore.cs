using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.Answers;

/// <summary>Table <c>TransferAnswers</c>: the answers this council sends back (insert-only, then changed at the ETag).</summary>
public sealed class TransferAnswerStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "TransferAnswers";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task<TransferAnswerEntity?> GetAsync(string senderCode, string answerKey, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TransferAnswerEntity>(senderCode, answerKey, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Inserts the row; false when the same answer is already there.</summary>
    public async Task<bool> TryInsertAsync(TransferAnswerEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the row at the ETag it was read with; false when someone else changed it first.</summary>
    public async Task<bool> UpdateAsync(TransferAnswerEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }
}
