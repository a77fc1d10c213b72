using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Identity.Tokens;

namespace Serverless.Tests.Identity.Tokens;

/// <summary>Wrong token settings stop the app at start with a message naming the setting.</summary>
public sealed class TokenOptionsTests
{
    [Fact]
    public void IssuersAreBoundByNameFromAuthenticationIssuers()
    {
        var issuers = Resolve<TokenIssuersOptions>(new()
        {
            ["Authentication:Issuers:midori-entra:MetadataAddress"] = "https://login.microsoftonline.com/t1/v2.0/.well-known/openid-configuration",
            ["Authentication:Issuers:midori-entra:ValidIssuer"] = "https://login.microsoftonline.com/t1/v2.0",
            ["Authentication:Issuers:midori-entra:Audience"] = "api://kodomo",
            ["Authentication:Issuers:midori-entra:AllowedClientApplications"] = "spa-client",
            ["Authentication:Issuers:kyoiku:AllowedClientApplications"] = "spa-client, mobile-client",
            ["Authentication:Issuers:kyoiku:MetadataAddress"] = "https://login.microsoftonline.com/t2/v2.0/.well-known/openid-configuration",
            ["Authentication:Issuers:kyoiku:ValidIssuer"] = "https://login.microsoftonline.com/t2/v2.0",
            ["Authentication:Issuers:kyoiku:Audience"] = "api://kodomo",
            ["Authentication:Issuers:kyoiku:SubjectClaim"] = "sub",
        });

        Assert.Equal(["kyoiku", "midori-entra"], issuers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("oid", issuers["midori-entra"].SubjectClaim);
        Assert.True(issuers["midori-entra"].RequireHttpsMetadata);
        Assert.Equal("sub", issuers["kyoiku"].SubjectClaim);
        Assert.Equal("entra", issuers["kyoiku"].Kind);
        Assert.Equal("access_as_user", issuers["kyoiku"].RequiredScope);
        Assert.Equal(["mobile-client", "spa-client"], issuers["kyoiku"].ClientApplications().Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("https://idp.example.org/.well-known/openid-configuration", "https://idp.example.org")]
    [InlineData("https://login.microsoftonline.com.evil.example/t1/v2.0/.well-known/openid-configuration", "https://login.microsoftonline.com/t1/v2.0")]
    [InlineData("https://login.microsoftonline.com/t1/v2.0/.well-known/openid-configuration", "https://idp.example.org/t1/v2.0")]
    [InlineData("https://evil@login.microsoftonline.com/t1/v2.0/.well-known/openid-configuration", "https://login.microsoftonline.com/t1/v2.0")]
    public void AnEntraIssuerOutsideTheMicrosoftAuthorityStopsTheApp(string metadata, string validIssuer)
    {
        var settings = Issuer("entra", validIssuer);
        settings["Authentication:Issuers:entra:MetadataAddress"] = metadata;

        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(settings));

        Assert.Contains(failure.Failures, message => message.Contains("not under an allowed Microsoft sign-in authority", StringComparison.Ordinal));
    }

    [Fact]
    public void ASovereignCloudAddsItsAuthority()
    {
        var settings = Issuer("entra", "https://login.microsoftonline.us/t1/v2.0");
        settings["Authentication:Issuers:entra:MetadataAddress"] = "https://login.microsoftonline.us/t1/v2.0/.well-known/openid-configuration";
        Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(settings));

        settings["Authentication:EntraAuthorities"] = "https://login.microsoftonline.com/, https://login.microsoftonline.us/";

        Assert.Equal("https://login.microsoftonline.us/t1/v2.0", Resolve<TokenIssuersOptions>(settings)["entra"].ValidIssuer);
    }

    [Fact]
    public void AnOidcIssuerMayBeAnywhereButNeedsItsKindSaid()
    {
        var settings = Issuer("partner", "https://idp.example.org");
        settings["Authentication:Issuers:partner:MetadataAddress"] = "https://idp.example.org/.well-known/openid-configuration";
        settings["Authentication:Issuers:partner:Kind"] = "oidc";
        settings.Remove("Authentication:Issuers:partner:AllowedClientApplications");

        Assert.Equal("oidc", Resolve<TokenIssuersOptions>(settings)["partner"].Kind);

        settings["Authentication:Issuers:partner:Kind"] = "saml";
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(settings));
        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:Issuers:partner:Kind must be 'entra'", StringComparison.Ordinal));
    }

    [Fact]
    public void AnEntraIssuerWithoutAllowedClientApplicationsStopsTheApp()
    {
        var settings = Issuer("entra", "https://login.microsoftonline.com/t1/v2.0");
        settings.Remove("Authentication:Issuers:entra:AllowedClientApplications");

        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(settings));

        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:Issuers:entra:AllowedClientApplications is required", StringComparison.Ordinal));
    }

    [Fact]
    public void AnEntraAuthorityThatIsNotAnHttpsUrlStopsTheApp()
    {
        var settings = Issuer("entra", "https://login.microsoftonline.com/t1/v2.0");
        settings["Authentication:EntraAuthorities"] = "http://login.microsoftonline.com/";

        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(settings));

        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:EntraAuthorities: 'http://login.microsoftonline.com/' is not an absolute https URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheHostDoesNotStartWithAnEntraIssuerOutsideTheAuthority()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["CaseSearch:HmacKey"] = Serverless.DevHost.DevelopmentSecrets.CaseSearchKey,
            ["Authentication:Issuers:entra:MetadataAddress"] = "https://idp.example.org/.well-known/openid-configuration",
            ["Authentication:Issuers:entra:ValidIssuer"] = "https://idp.example.org",
            ["Authentication:Issuers:entra:Audience"] = "api://kodomo",
            ["Authentication:Issuers:entra:AllowedClientApplications"] = "spa-client",
        });
        Serverless.Functions.AppRegistration.AddServerlessApp(builder.Services, builder.Configuration);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:Issuers:entra:MetadataAddress is not under an allowed Microsoft sign-in authority", StringComparison.Ordinal));
    }

    [Fact]
    public void NoIssuersAndDevelopmentOffIsAValidStart()
    {
        Assert.Empty(Resolve<TokenIssuersOptions>([]));
        Assert.False(Resolve<DevelopmentTokenOptions>([]).Enabled);
    }

    [Fact]
    public void AnIssuerWithoutItsFieldsFailsNamingEachMissingSetting()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(new()
        {
            ["Authentication:Issuers:midori-entra:ValidIssuer"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0",
            ["Authentication:Issuers:midori-entra:SubjectClaim"] = "email",
        }));

        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:Issuers:midori-entra:MetadataAddress is required", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:Issuers:midori-entra:Audience is required", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:Issuers:midori-entra:SubjectClaim must be 'oid' or 'sub'", StringComparison.Ordinal));
    }

    [Fact]
    public void AnIssuerWhoseThreeSettingsAreAllEmptyIsIgnoredNotAccepted()
    {
        // What Bicep writes before a tenant is given: the app starts, and nobody signs in through it.
        var options = Resolve<TokenIssuersOptions>(new()
        {
            ["Authentication:Issuers:entra:MetadataAddress"] = "",
            ["Authentication:Issuers:entra:ValidIssuer"] = "",
            ["Authentication:Issuers:entra:Audience"] = "",
            ["Authentication:Issuers:entra:SubjectClaim"] = "oid",
        });

        Assert.True(options["entra"].IsBlank);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/*/v2.0", "wildcards")]
    [InlineData("https://login.microsoftonline.com/{tenantid}/v2.0", "wildcards")]
    public void ValidIssuerMustBeExact(string validIssuer, string expected)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(Issuer("midori-entra", validIssuer)));

        Assert.Contains(failure.Failures, message => message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void PlainHttpMetadataFailsUnlessHttpsIsExplicitlyNotRequired()
    {
        var settings = Issuer("midori-entra", "https://login.microsoftonline.com/t1/v2.0");
        settings["Authentication:Issuers:midori-entra:MetadataAddress"] = "http://127.0.0.1:5000/.well-known/openid-configuration";
        settings["Authentication:Issuers:midori-entra:ValidIssuer"] = "http://127.0.0.1:5000";
        settings["Authentication:Issuers:midori-entra:Kind"] = "oidc"; // an Entra issuer is never on plain HTTP

        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(settings));
        Assert.Contains(failure.Failures, message => message.Contains("must use https", StringComparison.Ordinal));

        settings["Authentication:Issuers:midori-entra:RequireHttpsMetadata"] = "false";
        Assert.False(Resolve<TokenIssuersOptions>(settings)["midori-entra"].RequireHttpsMetadata);
    }

    [Fact]
    public void TwoIssuersWithOneIssFail()
    {
        var settings = Issuer("a", "https://login.microsoftonline.com/t1/v2.0");
        foreach (var (key, value) in Issuer("b", "https://login.microsoftonline.com/t1/v2.0"))
        {
            settings[key] = value;
        }

        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<TokenIssuersOptions>(settings));

        Assert.Contains(failure.Failures, message => message.Contains("a, b have the same ValidIssuer", StringComparison.Ordinal));
    }

    [Fact]
    public void DevelopmentEnabledWithoutASigningKeyFails()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<DevelopmentTokenOptions>(new()
        {
            ["Authentication:Development:Enabled"] = "true",
        }));

        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:Development:SigningKey is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void DevelopmentSigningKeyMustBeBase64OfAtLeast32BytesAndIsNeverEchoed(string key)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve<DevelopmentTokenOptions>(new()
        {
            ["Authentication:Development:Enabled"] = "true",
            ["Authentication:Development:SigningKey"] = key,
        }));

        Assert.Contains(failure.Failures, message => message.StartsWith("Authentication:Development:SigningKey must be base64 of at least 32 bytes", StringComparison.Ordinal));
        Assert.DoesNotContain(key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentOptionsNeverPrintTheirKey()
    {
        var options = new DevelopmentTokenOptions { Enabled = true, SigningKey = Serverless.DevHost.DevelopmentSecrets.TokenSigningKey };

        Assert.DoesNotContain(options.SigningKey, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheAppRegistersTheValidator()
    {
        var services = new ServiceCollection().AddLogging();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["CaseSearch:HmacKey"] = Serverless.DevHost.DevelopmentSecrets.CaseSearchKey,
        }).Build();
        Serverless.Functions.AppRegistration.AddServerlessApp(services, configuration);

        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<BearerTokenValidator>());
    }

    private static Dictionary<string, string?> Issuer(string name, string validIssuer) => new()
    {
        [$"Authentication:Issuers:{name}:MetadataAddress"] = "https://login.microsoftonline.com/t1/v2.0/.well-known/openid-configuration",
        [$"Authentication:Issuers:{name}:ValidIssuer"] = validIssuer,
        [$"Authentication:Issuers:{name}:Audience"] = "api://kodomo",
        [$"Authentication:Issuers:{name}:AllowedClientApplications"] = "spa-client",
    };

    private static T Resolve<T>(Dictionary<string, string?> settings)
        where T : class
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddBearerTokens(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<T>>().Value;
    }
}
