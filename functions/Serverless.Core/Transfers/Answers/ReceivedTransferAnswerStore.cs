using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.Answers;

/// <summary>Table <c>TransferAnswersReceived</c>: the partners' answers to packages this council sent (insert-only).</summary>
public sealed class ReceivedTransferAnswerStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "TransferAnswersReceived";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task<ReceivedTransferAnswerEntity?> GetAsync(string partnerCode, string answerMessageId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ReceivedTransferAnswerEntity>(partnerCode, answerMessageId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Inserts the row; false when this partner's message with that id is already stored (a repeat).</summary>
    public async Task<bool> TryInsertAsync(ReceivedTransferAnswerEntity row, CancellationToken cancellationToken)
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
}
