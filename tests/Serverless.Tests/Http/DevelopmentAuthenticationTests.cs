using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Serverless.Functions.Identity;
using Serverless.Identity;
using Serverless.Storage;

namespace Serverless.Tests.Http;

/// <summary>Development sign-in is a local convenience: it must never let anyone in against real storage.</summary>
public sealed class DevelopmentAuthenticationTests
{
    private static readonly DevelopmentAuthenticationOptions DemoCoordinator = new()
    {
        Enabled = true,
        People = { ["coordinator-sato"] = new DevelopmentPerson { AgencyId = "midori-kodomo-ka", Role = CallerRole.Coordinator } },
    };

    [Fact]
    public void EnabledPersonOnTheEmulatorIsTheCaller()
        => Assert.Equal(
            new Caller("coordinator-sato", "midori-kodomo-ka", CallerRole.Coordinator),
            Authenticate(DemoCoordinator, new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }, "Development coordinator-sato"));

    [Fact]
    public void EnabledInConfigurationButAgainstAzureStorageNobodySignsIn()
        => Assert.Null(Authenticate(
            DemoCoordinator,
            new StorageOptions
            {
                TableServiceUri = new Uri("https://kodomo.table.core.windows.net"),
                QueueServiceUri = new Uri("https://kodomo.queue.core.windows.net"),
                BlobServiceUri = new Uri("https://kodomo.blob.core.windows.net"),
            },
            "Development coordinator-sato"));

    [Fact]
    public void DisabledNobodySignsInEvenOnTheEmulator()
        => Assert.Null(Authenticate(
            new DevelopmentAuthenticationOptions { Enabled = false, People = DemoCoordinator.People },
            new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" },
            "Development coordinator-sato"));

    [Theory]
    [InlineData("Development someone-else")]
    [InlineData("Bearer coordinator-sato")]
    [InlineData("development coordinator-sato")]
    [InlineData("")]
    public void UnknownPeopleAndOtherSchemesAreNobody(string authorization)
        => Assert.Null(Authenticate(DemoCoordinator, new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }, authorization));

    private static Caller? Authenticate(DevelopmentAuthenticationOptions development, StorageOptions storage, string authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = authorization;
        return new CallerAuthentication(Options.Create(development), Options.Create(storage)).Authenticate(context.Request);
    }
}
