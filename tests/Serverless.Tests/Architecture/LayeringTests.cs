using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Tests.Architecture;

public sealed class LayeringTests
{
    private static readonly System.Reflection.Assembly Core = typeof(StorageClients).Assembly;

    [Fact]
    public void DomainAndStorageCodeDoesNotKnowItRunsInAzureFunctionsOrAspNetCore()
    {
        var forbidden = Core.GetReferencedAssemblies()
            .Select(reference => reference.Name!)
            .Where(name => name.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(forbidden);
    }

    [Fact]
    public void EveryStoredEntityCarriesASchemaVersion()
    {
        var entities = Core.GetTypes().Where(type => typeof(ITableEntity).IsAssignableFrom(type) && !type.IsAbstract).ToList();

        Assert.NotEmpty(entities);
        Assert.All(entities, type => Assert.True(typeof(ISchemaVersioned).IsAssignableFrom(type), $"{type.Name} has no SchemaVersion"));
    }
}
