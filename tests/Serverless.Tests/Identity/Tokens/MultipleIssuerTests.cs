using Microsoft.Extensions.Time.Testing;
using Serverless.Identity.Tokens;

namespace Serverless.Tests.Identity.Tokens;

/// <summary>Several tenants at once (the municipality's, a board of education's): each token is judged by its own issuer.</summary>
public sealed class MultipleIssuerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
    private OidcTestIssuer municipality = null!;
    private OidcTestIssuer education = null!;
    private BearerTokenValidator validator = null!;

    public async Task InitializeAsync()
    {
        municipality = await OidcTestIssuer.StartAsync();
        education = await OidcTestIssuer.StartAsync();
        validator = Validators.Create(clock, new TokenIssuersOptions
        {
            ["midori-entra"] = municipality.Options(),
            ["kyoiku-entra"] = education.Options(audience: "api://kodomo-kyoiku", subjectClaim: "sub"),
        });
    }

    public async Task DisposeAsync()
    {
        await municipality.DisposeAsync();
        await education.DisposeAsync();
    }

    [Fact]
    public async Task EachIssuersTokenValidatesAsThatIssuer()
    {
        var fromMunicipality = await validator.ValidateAsync(municipality.CreateToken(clock, oid: "oid-m"), CancellationToken.None);
        var fromEducation = await validator.ValidateAsync(education.CreateToken(clock, oid: "oid-e", audience: "api://kodomo-kyoiku"), CancellationToken.None);

        Assert.Equal(new TokenIdentity("midori-entra", municipality.Issuer, "oid-m", "tenant-midori"), fromMunicipality.Identity);
        Assert.Equal(new TokenIdentity("kyoiku-entra", education.Issuer, "pairwise-oid-e", "tenant-midori"), fromEducation.Identity);
    }

    [Fact]
    public async Task ATokenNamingOneIssuerButSignedByTheOtherIsBadSignature()
    {
        var outcome = await validator.ValidateAsync(
            municipality.CreateToken(clock, credentials: education.Credentials), CancellationToken.None);

        Assert.Equal(TokenFailure.BadSignature, outcome.Failure);
    }

    [Fact]
    public async Task EachIssuerKeepsItsOwnAudience()
    {
        var outcome = await validator.ValidateAsync(
            education.CreateToken(clock, audience: "api://kodomo"), CancellationToken.None);

        Assert.Equal(TokenFailure.BadAudience, outcome.Failure);
    }
}
