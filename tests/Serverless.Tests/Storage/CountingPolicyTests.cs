using Serverless.Storage;

namespace Serverless.Tests.Storage;

public sealed class CountingPolicyTests
{
    [Theory]
    [InlineData("table", "http://127.0.0.1:10002/devstoreaccount1/Cases(PartitionKey='a',RowKey='b')", "Cases(key)")]
    [InlineData("table", "http://127.0.0.1:10002/devstoreaccount1/Cases()?$filter=x", "Cases()")]
    [InlineData("table", "https://kodomo.table.core.windows.net/Tables", "Tables")]
    [InlineData("queue", "https://kodomo.queue.core.windows.net/health-probes/messages/8f1c?popreceipt=x", "health-probes/messages/*")]
    [InlineData("queue", "http://127.0.0.1:10001/devstoreaccount1/health-probes/messages", "health-probes/messages")]
    [InlineData("blob", "https://kodomo.blob.core.windows.net/attachments/0f/8a.pdf", "attachments/*")]
    [InlineData("blob", "http://localhost:10000/devstoreaccount1/health", "health")]
    public void LabelsKeepTheResourceShapeAndDropKeysAndBlobNames(string service, string uri, string expected)
        => Assert.Equal(expected, new CountingPolicy(service, new StorageOperationCounter()).ResourceShape(new Uri(uri)));

    [Theory]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/Referrals()?%24filter=PartitionKey%20eq%20%27open%27&%24top=1000", "PartitionKey eq 'open'")]
    [InlineData("https://kodomo.table.core.windows.net/Cases()?$filter=PartitionKey+eq+%27status-registered%27", "PartitionKey eq 'status-registered'")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/Cases(PartitionKey='a',RowKey='b')", null)]
    public void AQueryKeepsItsFilterAndAPointReadHasNone(string uri, string? expected)
        => Assert.Equal(expected, CountingPolicy.Filter(new Uri(uri)));

    [Fact]
    public async Task OperationsAreCountedUnderTheScopeOfTheirAsyncFlow()
    {
        var counter = new StorageOperationCounter();
        var clients = Infrastructure.TestStorage.Clients(Infrastructure.TestStorage.NewPrefix(), counter);

        using (StorageOperationCounter.BeginScope("first"))
        {
            await clients.Tables.GetTableClient("NoSuchTableHere").CreateIfNotExistsAsync();
        }

        await Task.WhenAll(
            Task.Run(async () =>
            {
                using var scope = StorageOperationCounter.BeginScope("second");
                await clients.Queues.GetQueueClient("no-such-queue-here").ExistsAsync();
            }),
            clients.Blobs.GetBlobContainerClient("no-such-container-here").ExistsAsync());

        Assert.Equal(new Dictionary<string, long> { ["table POST Tables"] = 1 }, counter.For("first"));
        Assert.Equal(new Dictionary<string, long> { ["queue GET no-such-queue-here"] = 1 }, counter.For("second"));
        Assert.Equal(new Dictionary<string, long> { ["blob GET no-such-container-here"] = 1 }, counter.For(StorageOperationCounter.Unscoped));
    }

    [Fact]
    public async Task AWriteStorageRefusedIsCountedAsRefusedAndOneItTookIsNot()
    {
        var counter = new StorageOperationCounter();
        var clients = Infrastructure.TestStorage.Clients(Infrastructure.TestStorage.NewPrefix(), counter);
        var table = clients.Tables.GetTableClient("Refusals" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateAsync();
        var entity = new Azure.Data.Tables.TableEntity("p", "r");

        using (StorageOperationCounter.BeginScope("writes"))
        {
            await table.AddEntityAsync(entity);
            await Assert.ThrowsAsync<Azure.RequestFailedException>(() => table.AddEntityAsync(entity)); // 409: it exists
        }

        var insert = $"table POST {table.Name}";
        Assert.Equal(2, counter.For("writes")[insert]);
        Assert.Equal(new Dictionary<string, long> { [insert] = 1 }, counter.RefusedFor("writes"));
        Assert.Empty(counter.RefusedFor(StorageOperationCounter.Unscoped));
    }
}
