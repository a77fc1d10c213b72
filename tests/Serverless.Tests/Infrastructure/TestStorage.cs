using Microsoft.Extensions.Options;
using Serverless.Storage;

namespace Serverless.Tests.Infrastructure;

/// <summary>
/// The Azurite the tests run against: <c>SERVERLESS_TEST_STORAGE</c> (set by the test command, which
/// starts a throwaway Azurite), else Azurite on its default ports. Each test takes a fresh name prefix
/// so no test sees another's tables, queues or containers.
/// </summary>
public static class TestStorage
{
    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 } configured ? configured : "UseDevelopmentStorage=true";

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public static StorageOptions Options(string prefix) => new() { ConnectionString = ConnectionString, NamePrefix = prefix };

    /// <summary>Bare clients for arranging and inspecting storage, outside the app's counted clients.</summary>
    public static StorageClients Clients(string prefix, StorageOperationCounter? counter = null)
        => new(Microsoft.Extensions.Options.Options.Create(Options(prefix)), counter ?? new StorageOperationCounter());

    public static StorageNames Names(string prefix) => new(Microsoft.Extensions.Options.Options.Create(Options(prefix)));
}
