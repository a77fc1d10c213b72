using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Serverless.DevHost;
using Serverless.Identity.Tokens;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Identity.Tokens;

/// <summary>
/// Tokens from a real OpenID Connect metadata path: a discovery document and JWKS served over HTTP by
/// <see cref="OidcTestIssuer"/>, read by the library's ConfigurationManager. Each test starts its own issuer.
/// </summary>
public sealed class OidcIssuerTests : IAsyncLifetime
{
    private const string Oid = "00000000-0000-0000-0000-0000000000a1";

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly LogCapture logs = new();
    private OidcTestIssuer midori = null!;
    private BearerTokenValidator validator = null!;

    public async Task InitializeAsync()
    {
        midori = await OidcTestIssuer.StartAsync();
        validator = Validators.Create(clock, new TokenIssuersOptions { ["midori-entra"] = midori.Options() }, logs: logs);
    }

    public async Task DisposeAsync() => await midori.DisposeAsync();

    [Fact]
    public async Task ValidTokenIsTheObjectIdOfTheNamedIssuer()
    {
        var outcome = await validator.ValidateAsync(midori.CreateToken(clock), CancellationToken.None);

        Assert.True(outcome.IsValid, outcome.Failure);
        Assert.Equal(new TokenIdentity("midori-entra", midori.Issuer, Oid, "tenant-midori"), outcome.Identity);
    }

    [Fact]
    public async Task SubjectClaimSubTakesSubInsteadOfOid()
    {
        var sub = Validators.Create(clock, new TokenIssuersOptions { ["midori"] = midori.Options(subjectClaim: "sub") });

        var outcome = await sub.ValidateAsync(midori.CreateToken(clock), CancellationToken.None);

        Assert.Equal("pairwise-" + Oid, outcome.Identity?.Subject);
    }

    [Fact]
    public async Task WrongAudienceIsBadAudience()
        => await AssertRefused(TokenFailure.BadAudience, midori.CreateToken(clock, audience: "api://another-app"));

    [Fact]
    public async Task IssuerNotConfiguredIsUnknownIssuer()
        => await AssertRefused(TokenFailure.UnknownIssuer, midori.CreateToken(clock, issuer: "https://login.microsoftonline.com/other-tenant/v2.0"));

    [Fact]
    public async Task IssuerDifferingOnlyInCaseIsUnknownIssuer()
        => await AssertRefused(TokenFailure.UnknownIssuer, midori.CreateToken(clock, issuer: midori.Issuer.ToUpperInvariant()));

    [Fact]
    public async Task ExpiredTokenIsRefusedOnceTheClockSkewHasPassed()
    {
        var token = midori.CreateToken(clock, lifetime: TimeSpan.FromHours(1));

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.True((await validator.ValidateAsync(token, CancellationToken.None)).IsValid);

        clock.Advance(TimeSpan.FromMinutes(2));
        await AssertRefused(TokenFailure.Expired, token);
    }

    [Fact]
    public async Task TokenThatStartsLaterIsNotYetValid()
        => await AssertRefused(TokenFailure.NotYetValid, midori.CreateToken(clock, startsIn: TimeSpan.FromMinutes(10)));

    [Fact]
    public async Task TokenWithoutExpiryIsMalformed()
    {
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = midori.Issuer,
            Audience = "api://kodomo",
            Claims = new Dictionary<string, object> { ["oid"] = Oid },
            SigningCredentials = midori.Credentials,
        });

        await AssertRefused(TokenFailure.Malformed, token);
    }

    [Fact]
    public async Task ChangedPayloadIsBadSignature()
    {
        var parts = midori.CreateToken(clock).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace(Oid, "00000000-0000-0000-0000-0000000000ff", StringComparison.Ordinal);

        await AssertRefused(TokenFailure.BadSignature, $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}");
    }

    [Fact]
    public async Task ChangedSignatureIsBadSignature()
    {
        var token = midori.CreateToken(clock);
        var flipped = token[^2] == 'A' ? 'B' : 'A';

        await AssertRefused(TokenFailure.BadSignature, token[..^2] + flipped + token[^1]);
    }

    [Fact]
    public async Task UnsignedAlgNoneTokenIsBadSignature()
    {
        var unsigned = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = midori.Issuer,
            Audience = "api://kodomo",
            Claims = new Dictionary<string, object> { ["oid"] = Oid },
            Expires = clock.GetUtcNow().UtcDateTime.AddHours(1),
            NotBefore = clock.GetUtcNow().UtcDateTime,
            IssuedAt = clock.GetUtcNow().UtcDateTime,
        });
        Assert.Contains("\"none\"", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(unsigned.Split('.')[0])), StringComparison.Ordinal);

        await AssertRefused(TokenFailure.BadSignature, unsigned);
    }

    [Fact]
    public async Task TokenSignedByAKeyTheIssuerNeverPublishedIsBadSignature()
        => await AssertRefused(TokenFailure.BadSignature, midori.CreateToken(clock, credentials: OidcTestIssuer.SigningKey.New().Credentials));

    [Fact]
    public async Task TokenSignedWithThePublicDevelopmentKeyIsRefusedForARealIssuer()
    {
        // Anyone can mint HS256 tokens with the development key: naming a real issuer must not help.
        var forged = DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, Oid, TimeSpan.FromHours(1), clock, midori.Issuer, "api://kodomo");

        await AssertRefused(TokenFailure.BadSignature, forged);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30")]
    public async Task TextThatIsNotASignedJwtIsMalformed(string token)
        => await AssertRefused(TokenFailure.Malformed, token);

    [Fact]
    public async Task AfterTheIssuerRotatesItsKeyTokensWithTheNewKeyValidate()
    {
        Assert.True((await validator.ValidateAsync(midori.CreateToken(clock), CancellationToken.None)).IsValid);
        var readsBefore = midori.MetadataRequests;

        midori.RotateKey();
        var outcome = await validator.ValidateAsync(midori.CreateToken(clock), CancellationToken.None);

        Assert.True(outcome.IsValid, outcome.Failure);
        Assert.Equal(readsBefore + 1, midori.MetadataRequests);
    }

    [Fact]
    public async Task KnownKeysAreReadOnceNotPerToken()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await validator.ValidateAsync(midori.CreateToken(clock), CancellationToken.None)).IsValid);
        }

        Assert.Equal(1, midori.MetadataRequests);
    }

    [Fact]
    public async Task IssuerWhoseMetadataCannotBeReadIsMetadataUnavailable()
    {
        var address = midori.BaseAddress;
        var issuer = midori.Issuer;
        var token = midori.CreateToken(clock);
        await midori.DisposeAsync();
        midori = await OidcTestIssuer.StartAsync(); // for DisposeAsync; the first one's port is closed now
        var unreachable = Validators.Create(clock, new TokenIssuersOptions
        {
            ["midori-entra"] = new TokenIssuerOptions
            {
                MetadataAddress = address + "/.well-known/openid-configuration",
                ValidIssuer = issuer,
                Audience = "api://kodomo",
                RequireHttpsMetadata = false,
            },
        });

        Assert.Equal(TokenFailure.MetadataUnavailable, (await unreachable.ValidateAsync(token, CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task HttpMetadataIsRefusedWhenHttpsIsRequired()
    {
        var options = midori.Options();
        options.RequireHttpsMetadata = true;
        var strict = Validators.Create(clock, new TokenIssuersOptions { ["midori-entra"] = options });

        Assert.Equal(TokenFailure.MetadataUnavailable, (await strict.ValidateAsync(midori.CreateToken(clock), CancellationToken.None)).Failure);
        Assert.Equal(0, midori.MetadataRequests);
    }

    [Fact]
    public async Task LogsNameTheIssuerAndReasonButNeverTheTokenOrItsClaims()
    {
        var token = midori.CreateToken(clock, audience: "api://another-app");

        await validator.ValidateAsync(token, CancellationToken.None);
        await validator.ValidateAsync(midori.CreateToken(clock), CancellationToken.None);

        var everything = string.Join("\n", logs.Entries.Select(entry => entry.Everything));
        Assert.Contains("midori-entra", everything, StringComparison.Ordinal);
        Assert.Contains(TokenFailure.BadAudience, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Oid, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("佐藤", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant-midori", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenWithoutThisApisScopeIsRefused()
    {
        await AssertRefused(TokenFailure.MissingScope, midori.CreateToken(clock, scope: null));
        await AssertRefused(TokenFailure.MissingScope, midori.CreateToken(clock, scope: "User.Read openid"));
        await AssertRefused(TokenFailure.MissingScope, midori.CreateToken(clock, scope: "access_as_user_other"));
        Assert.True((await validator.ValidateAsync(midori.CreateToken(clock, scope: "openid access_as_user profile"), CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task AnAppOnlyTokenIsRefusedEvenWithTheScope()
    {
        await AssertRefused(TokenFailure.AppOnly, midori.CreateToken(clock, extraClaims: new Dictionary<string, object> { ["idtyp"] = "app" }));
        await AssertRefused(TokenFailure.AppOnly, midori.CreateToken(clock, scope: null, extraClaims: new Dictionary<string, object> { ["roles"] = new[] { "Cases.ReadWrite.All" } }));
    }

    [Fact]
    public async Task ATokenForAClientApplicationNotAllowedIsRefused()
    {
        await AssertRefused(TokenFailure.ClientNotAllowed, midori.CreateToken(clock, clientApplication: "99999999-0000-0000-0000-000000000000"));
        await AssertRefused(TokenFailure.ClientNotAllowed, midori.CreateToken(clock, clientApplication: null));
    }

    [Fact]
    public async Task AVersionOneTokenNamesItsClientInAppid()
    {
        var outcome = await validator.ValidateAsync(
            midori.CreateToken(clock, clientApplication: null, extraClaims: new Dictionary<string, object> { ["appid"] = OidcTestIssuer.ClientApplication }),
            CancellationToken.None);

        Assert.True(outcome.IsValid, outcome.Failure);
    }

    [Fact]
    public async Task AnEntraIssuerWithoutAllowedClientsRefusesEveryToken()
    {
        // Start-up refuses such settings; the validator does not rely on that.
        var options = midori.Options();
        options.Kind = TokenIssuerOptions.EntraKind;
        options.AllowedClientApplications = "";
        var unlisted = Validators.Create(clock, new TokenIssuersOptions { ["midori-entra"] = options });

        Assert.Equal(TokenFailure.ClientNotAllowed, (await unlisted.ValidateAsync(midori.CreateToken(clock), CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task AScopeRefusalLogsTheReasonNotTheToken()
    {
        var token = midori.CreateToken(clock, scope: "User.Read");

        await validator.ValidateAsync(token, CancellationToken.None);

        var everything = string.Join("\n", logs.Entries.Select(entry => entry.Everything));
        Assert.Contains(TokenFailure.MissingScope, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("User.Read", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(OidcTestIssuer.ClientApplication, everything, StringComparison.Ordinal);
    }

    private async Task AssertRefused(string reason, string token)
    {
        var outcome = await validator.ValidateAsync(token, CancellationToken.None);

        Assert.False(outcome.IsValid);
        Assert.Equal(reason, outcome.Failure);
        Assert.Null(outcome.Identity);
    }
}
