using System.ComponentModel.DataAnnotations;
using Serverless.Storage;

namespace Serverless.Tests.Storage;

public sealed class StorageOptionsTests
{
    private static List<string> Errors(StorageOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(result => result.ErrorMessage!).ToList();
    }

    [Fact]
    public void AzuriteShortcutIsAccepted()
        => Assert.Empty(Errors(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }));

    [Fact]
    public void AzuriteOnLoopbackPortsIsAccepted()
        => Assert.Empty(Errors(new StorageOptions { ConnectionString = Infrastructure.TestStorage.ConnectionString, NamePrefix = "t1" }));

    [Fact]
    public void AccountKeyConnectionStringForACloudAccountIsRefused()
    {
        var errors = Errors(new StorageOptions
        {
            ConnectionString = "DefaultEndpointsProtocol=https;AccountName=kodomo;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net",
        });

        Assert.Single(errors);
        Assert.StartsWith("Storage:ConnectionString may only point at the local emulator", errors[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true;")]
    [InlineData(" usedevelopmentstorage = TRUE ")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;")]
    [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=https://localhost:10000/devstoreaccount1;QueueEndpoint=https://localhost:10001/devstoreaccount1;TableEndpoint=https://localhost:10002/devstoreaccount1")]
    [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://[::1]:10000/devstoreaccount1;QueueEndpoint=http://[::1]:10001/devstoreaccount1;TableEndpoint=http://[::1]:10002/devstoreaccount1")]
    public void EmulatorFormsAreAccepted(string connectionString)
        => Assert.True(StorageOptions.IsEmulator(connectionString));

    [Theory]
    // The shortcut inside a SAS token of a real account: a substring test took it for the emulator.
    [InlineData("BlobEndpoint=https://kodomo.blob.core.windows.net;QueueEndpoint=https://kodomo.queue.core.windows.net;TableEndpoint=https://kodomo.table.core.windows.net;SharedAccessSignature=sv=2024-11-04&ss=bqt&srt=sco&sp=rwdlacu&sig=c2ln&UseDevelopmentStorage=true")]
    // The shortcut next to a real endpoint.
    [InlineData("UseDevelopmentStorage=true;BlobEndpoint=https://kodomo.blob.core.windows.net")]
    [InlineData("UseDevelopmentStorage=false")]
    [InlineData("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://proxy.example.jp")]
    // Loopback endpoints, but not the emulator's account.
    [InlineData("AccountName=kodomo;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/kodomo;QueueEndpoint=http://127.0.0.1:10001/kodomo;TableEndpoint=http://127.0.0.1:10002/kodomo")]
    // The emulator's account name on real endpoints, on some real endpoints, or with a service left to the public default.
    [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=https://kodomo.blob.core.windows.net;QueueEndpoint=https://kodomo.queue.core.windows.net;TableEndpoint=https://kodomo.table.core.windows.net")]
    [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=https://kodomo.table.core.windows.net")]
    [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;EndpointSuffix=core.windows.net")]
    // A loopback endpoint given twice, the second one real (which one a parser keeps is its own business).
    [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;TableEndpoint=https://kodomo.table.core.windows.net")]
    // Loopback in the user-info part of a real host.
    [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1@kodomo.blob.core.windows.net/;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1")]
    public void ARealAccountIsNotTheEmulatorWhateverTheStringContains(string connectionString)
    {
        Assert.False(StorageOptions.IsEmulator(connectionString));
        Assert.Contains(Errors(new StorageOptions { ConnectionString = connectionString }), error => error.StartsWith("Storage:ConnectionString may only point at the local emulator", StringComparison.Ordinal));
    }

    [Fact]
    public void CloudWithoutAllThreeServiceUrisIsRefused()
    {
        var errors = Errors(new StorageOptions { TableServiceUri = new Uri("https://kodomo.table.core.windows.net") });

        Assert.Single(errors);
        Assert.StartsWith("Storage is not configured", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void CloudWithServiceUrisAndNoPrefixIsAccepted()
        => Assert.Empty(Errors(new StorageOptions
        {
            TableServiceUri = new Uri("https://kodomo.table.core.windows.net"),
            QueueServiceUri = new Uri("https://kodomo.queue.core.windows.net"),
            BlobServiceUri = new Uri("https://kodomo.blob.core.windows.net"),
            ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001",
        }));

    [Fact]
    public void NamePrefixInTheCloudIsRefusedBecauseQueueTriggersWouldNotFollowIt()
    {
        var errors = Errors(new StorageOptions
        {
            TableServiceUri = new Uri("https://kodomo.table.core.windows.net"),
            QueueServiceUri = new Uri("https://kodomo.queue.core.windows.net"),
            BlobServiceUri = new Uri("https://kodomo.blob.core.windows.net"),
            NamePrefix = "test",
        });

        Assert.Single(errors);
        Assert.StartsWith("Storage:NamePrefix is for tests", errors[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("名前")]
    public void NamePrefixMustBeLettersAndDigitsStartingWithALetter(string prefix)
        => Assert.Contains(Errors(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true", NamePrefix = prefix }), error => error.StartsWith("Storage:NamePrefix must be", StringComparison.Ordinal));
}
