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
