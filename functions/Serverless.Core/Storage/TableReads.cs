using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Serverless.Storage;

/// <summary>
/// Point reads that tell a missing row from a missing table. The SDK's <c>GetEntityIfExistsAsync</c> answers "no value"
/// for any 404, <c>TableNotFound</c> included (proved in <c>TableReadsTests</c>): where "no row" grants something (no hold,
/// no bar, no block), a table deleted by mistake would silently grant it. These reads answer null only for
/// <c>ResourceNotFound</c> and throw on everything else, so the caller fails (and a queue retries or dead-letters).
/// </summary>
public static class TableReads
{
    /// <summary>The row, or null when the row (and only the row) is missing; a missing table throws
    /// <see cref="RequestFailedException"/> with <c>TableNotFound</c>.</summary>
    public static async Task<T?> GetRowOrNullAsync<T>(this TableClient table, string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
        where T : class, ITableEntity
    {
        try
        {
            return (await table.GetEntityAsync<T>(partitionKey, rowKey, select, cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == TableErrorCode.ResourceNotFound)
        {
            return null;
        }
    }
}
