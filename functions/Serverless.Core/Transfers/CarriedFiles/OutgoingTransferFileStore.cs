using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>Table <c>OutgoingTransferFiles</c>: the files each sent package references and how far their sending got.</summary>
public sealed class OutgoingTransferFileStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "OutgoingTransferFiles";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>Adds the row unless it is there (a send retried after a crash keeps the first).</summary>
    public async Task AddAsync(OutgoingTransferFileEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
        }
    }

    public Task<OutgoingTransferFileEntity?> GetAsync(string messageId, string fileId, CancellationToken cancellationToken)
        => Table.GetRowOrNullAsync<OutgoingTransferFileEntity>(messageId, fileId, cancellationToken: cancellationToken);

    /// <summary>Every file of one package (one partition; at most <see cref="Incoming.IncomingTransferLimits.MaxFiles"/>).</summary>
    public async Task<IReadOnlyList<OutgoingTransferFileEntity>> OfPackageAsync(string messageId, CancellationToken cancellationToken)
    {
        var rows = new List<OutgoingTransferFileEntity>();
        await foreach (var row in Table.QueryAsync<OutgoingTransferFileEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {messageId}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Saves the row at the ETag it was read with; false when it changed meanwhile.</summary>
    public async Task<bool> UpdateAsync(OutgoingTransferFileEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }
}
