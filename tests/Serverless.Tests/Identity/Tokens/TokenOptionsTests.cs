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
            ["Authentication:Issuers:kyoiku:MetadataAddress"] = "https://login.microsoftonline.com/t2/v2.0/.well-known/openid-configuration",
            ["Authentication:Issuers:kyoiku:ValidIssuer"] = "https://login.microsoftonline.com/t2/v2.0",
            ["Authentication:Issuers:kyoiku:Audience"] = "api://kodomo",
            ["Authentication:Issuers:kyoiku:SubjectClaim"] = "sub",
        });

        Assert.Equal(["kyoiku", "midori-entra"], issuers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("oid", issuers["midori-entra"].SubjectClaim);
        Assert.True(issuers["midori-entra"].RequireHttpsMetadata);
        Assert.Equal("sub", issuers["kyoiku"].SubjectClaim);
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
