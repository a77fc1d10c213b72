using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Storage;

/// <summary>
/// Against Azurite: the SDK's <c>GetEntityIfExistsAsync</c> reads a missing TABLE as a missing row (no value), which is
/// why "absent grants something" reads go through <see cref="TableReads.GetRowOrNullAsync{T}"/>, which does not.
/// </summary>
public sealed class TableReadsTests
{
    private readonly TableServiceClient tables = TestStorage.Clients(TestStorage.NewPrefix()).Tables;

    private TableClient NewTable() => tables.GetTableClient("t" + Guid.NewGuid().ToString("N")[..20]);

    [Fact]
    public async Task TheSdkReadsAMissingTableAsAMissingRow()
    {
        var missing = NewTable(); // never created

        var read = await missing.GetEntityIfExistsAsync<TableEntity>("p", "r");

        Assert.False(read.HasValue); // the hazard: no exception, just "no row"
        Assert.Equal(404, read.GetRawResponse().Status);
    }

    [Fact]
    public async Task AMissingTableThrowsTableNotFound()
    {
        var missing = NewTable();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => missing.GetRowOrNullAsync<TableEntity>("p", "r"));

        Assert.Equal((404, TableErrorCode.TableNotFound.ToString()), (failure.Status, failure.ErrorCode));
    }

    [Fact]
    public async Task AMissingRowIsNullAndAPresentRowIsRead()
    {
        var table = NewTable();
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("ケース", "行") { ["Reason"] = "開示請求" });
        try
        {
            Assert.Null(await table.GetRowOrNullAsync<TableEntity>("ケース", "ない"));
            var row = await table.GetRowOrNullAsync<TableEntity>("ケース", "行", select: ["Reason"]);
            Assert.Equal("開示請求", row!.GetString("Reason"));
        }
        finally
        {
            await table.DeleteAsync();
        }
    }
}
