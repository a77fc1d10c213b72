using Microsoft.Extensions.Time.Testing;
using Serverless.DevHost;
using Serverless.Identity.Tokens;
using Serverless.Storage;

namespace Serverless.Tests.Identity.Tokens;

/// <summary>
/// The development issuer signs with a key anyone can read in this repository: it must only ever work
/// on a developer's machine, i.e. when enabled AND storage is the local emulator, checked on every call.
/// </summary>
public sealed class DevelopmentIssuerTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task EnabledOnTheEmulatorTheTokenIsItsSubject()
    {
        var outcome = await Validators.Create(clock, development: Validators.DevelopmentEnabled)
            .ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None);

        Assert.Equal(
            new TokenIdentity(DevelopmentTokens.IssuerName, DevelopmentTokens.DefaultIssuer, "coordinator-sato", null),
            outcome.Identity);
    }

    [Fact]
    public async Task EnabledOnAnEmulatorReachedByLoopbackEndpointsItIsAccepted()
    {
        var storage = new StorageOptions
        {
            ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;",
        };

        var outcome = await Validators.Create(clock, development: Validators.DevelopmentEnabled, storage: storage)
            .ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None);

        Assert.True(outcome.IsValid, outcome.Failure);
    }

    [Fact]
    public async Task EnabledInConfigurationButAgainstAzureStorageItIsAnUnknownIssuer()
    {
        var azure = new StorageOptions
        {
            TableServiceUri = new Uri("https://kodomo.table.core.windows.net"),
            QueueServiceUri = new Uri("https://kodomo.queue.core.windows.net"),
            BlobServiceUri = new Uri("https://kodomo.blob.core.windows.net"),
        };

        var outcome = await Validators.Create(clock, development: Validators.DevelopmentEnabled, storage: azure)
            .ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None);

        Assert.Equal(TokenFailure.UnknownIssuer, outcome.Failure);
    }

    [Fact]
    public async Task EnabledButTheConnectionStringNamesARealAccountItIsAnUnknownIssuer()
    {
        var realAccount = new StorageOptions
        {
            ConnectionString = "DefaultEndpointsProtocol=https;AccountName=kodomo;AccountKey=a2V5;EndpointSuffix=core.windows.net",
        };

        var outcome = await Validators.Create(clock, development: Validators.DevelopmentEnabled, storage: realAccount)
            .ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None);

        Assert.Equal(TokenFailure.UnknownIssuer, outcome.Failure);
    }

    [Fact]
    public async Task EnabledButTheEmulatorShortcutIsOnlyInsideARealAccountsSasItIsAnUnknownIssuer()
    {
        var smuggled = new StorageOptions
        {
            ConnectionString = "BlobEndpoint=https://kodomo.blob.core.windows.net;QueueEndpoint=https://kodomo.queue.core.windows.net;TableEndpoint=https://kodomo.table.core.windows.net;SharedAccessSignature=sv=2024-11-04&sig=c2ln&UseDevelopmentStorage=true",
        };

        var outcome = await Validators.Create(clock, development: Validators.DevelopmentEnabled, storage: smuggled)
            .ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None);

        Assert.Equal(TokenFailure.UnknownIssuer, outcome.Failure);
    }

    [Fact]
    public async Task StorageIsCheckedOnEveryValidationNotOnlyAtStart()
    {
        var storage = new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" };
        var validator = Validators.Create(clock, development: Validators.DevelopmentEnabled, storage: storage);
        Assert.True((await validator.ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None)).IsValid);

        storage.ConnectionString = "DefaultEndpointsProtocol=https;AccountName=kodomo;AccountKey=a2V5;EndpointSuffix=core.windows.net";

        Assert.Equal(TokenFailure.UnknownIssuer, (await validator.ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task DisabledItIsAnUnknownIssuerEvenOnTheEmulator()
    {
        var disabled = Validators.DevelopmentEnabled;
        disabled.Enabled = false;

        var outcome = await Validators.Create(clock, development: disabled)
            .ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None);

        Assert.Equal(TokenFailure.UnknownIssuer, outcome.Failure);
    }

    [Fact]
    public async Task SignedWithAnotherKeyIsBadSignature()
    {
        var otherKey = Convert.ToBase64String(new byte[32]);

        var outcome = await Validators.Create(clock, development: Validators.DevelopmentEnabled)
            .ValidateAsync(DevelopmentTokens.Create(otherKey, "coordinator-sato", TimeSpan.FromHours(1), clock), CancellationToken.None);

        Assert.Equal(TokenFailure.BadSignature, outcome.Failure);
    }

    [Fact]
    public async Task ExpiresOnTheInjectedClock()
    {
        var validator = Validators.Create(clock, development: Validators.DevelopmentEnabled);
        var token = DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromMinutes(10), clock);

        clock.Advance(TimeSpan.FromMinutes(13));

        Assert.Equal(TokenFailure.Expired, (await validator.ValidateAsync(token, CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task WrongAudienceIsBadAudience()
    {
        var token = DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromHours(1), clock, audience: "api://elsewhere");

        var outcome = await Validators.Create(clock, development: Validators.DevelopmentEnabled).ValidateAsync(token, CancellationToken.None);

        Assert.Equal(TokenFailure.BadAudience, outcome.Failure);
    }

    [Fact]
    public async Task AnRsaTokenNamingTheDevelopmentIssuerIsBadSignature()
    {
        await using var entra = await OidcTestIssuer.StartAsync();
        var validator = Validators.Create(
            clock,
            new TokenIssuersOptions { ["midori-entra"] = entra.Options() },
            Validators.DevelopmentEnabled);

        var outcome = await validator.ValidateAsync(
            entra.CreateToken(clock, issuer: DevelopmentTokens.DefaultIssuer, audience: DevelopmentTokens.DefaultAudience),
            CancellationToken.None);

        Assert.Equal(TokenFailure.BadSignature, outcome.Failure);
    }

    [Fact]
    public async Task ADevelopmentTokenIsRefusedByARealIssuerEvenWithTheDevelopmentIssuerOn()
    {
        await using var entra = await OidcTestIssuer.StartAsync();
        var validator = Validators.Create(
            clock,
            new TokenIssuersOptions { ["midori-entra"] = entra.Options() },
            Validators.DevelopmentEnabled);

        var outcome = await validator.ValidateAsync(
            DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromHours(1), clock, entra.Issuer, "api://kodomo"),
            CancellationToken.None);

        Assert.Equal(TokenFailure.BadSignature, outcome.Failure);
    }

    [Fact]
    public async Task DevelopmentTokensNeedTheScopeAndTheDevelopmentClient()
    {
        var validator = Validators.Create(clock, development: Validators.DevelopmentEnabled);

        var noScope = DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromHours(1), clock, scope: null);
        var otherClient = DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromHours(1), clock, clientApplication: "someone-else");
        var noClient = DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromHours(1), clock, clientApplication: null);

        Assert.Equal(TokenFailure.MissingScope, (await validator.ValidateAsync(noScope, CancellationToken.None)).Failure);
        Assert.Equal(TokenFailure.ClientNotAllowed, (await validator.ValidateAsync(otherClient, CancellationToken.None)).Failure);
        Assert.Equal(TokenFailure.ClientNotAllowed, (await validator.ValidateAsync(noClient, CancellationToken.None)).Failure);
        Assert.True((await validator.ValidateAsync(DevelopmentToken("coordinator-sato"), CancellationToken.None)).IsValid);
    }

    private string DevelopmentToken(string subject)
        => DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, subject, TimeSpan.FromHours(1), clock);
}
