using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Serverless.Identity.Tokens;

namespace Serverless.Tests.Identity.Tokens;

/// <summary>
/// A tiny OpenID Connect issuer on a free loopback port: the discovery document and a JWKS with its
/// current RSA public key, served over plain HTTP (so issuers pointing at it set RequireHttpsMetadata=false).
/// It signs tokens with that key, and can rotate to a new one as a real provider does.
/// </summary>
public sealed class OidcTestIssuer : IAsyncDisposable
{
    private readonly WebApplication app;
    private volatile SigningKey current = SigningKey.New();
    private int metadataRequests;

    private OidcTestIssuer(WebApplication app, string baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public string BaseAddress { get; }

    /// <summary>The <c>iss</c> of this issuer's tokens (unique per instance, like a tenant's).</summary>
    public string Issuer => BaseAddress + "/tenant/v2.0";

    public string MetadataAddress => BaseAddress + "/.well-known/openid-configuration";

    /// <summary>How many times the discovery document was read.</summary>
    public int MetadataRequests => Volatile.Read(ref metadataRequests);

    public SigningCredentials Credentials => current.Credentials;

    public static async Task<OidcTestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        OidcTestIssuer? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer!.metadataRequests);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Issuer,
                ["jwks_uri"] = issuer.BaseAddress + "/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        app.MapGet("/keys", () => Results.Json(new { keys = new[] { issuer!.current.PublicJwk() } }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer = new OidcTestIssuer(app, address);
        return issuer;
    }

    /// <summary>From now on the issuer signs with a new key and publishes only that one.</summary>
    public void RotateKey() => current = SigningKey.New();

    /// <summary>The client application its tokens name by default (<c>azp</c>), as the council's SPA would be.</summary>
    public const string ClientApplication = "11111111-2222-3333-4444-555555555555";

    /// <summary>Options for it as an <c>oidc</c> issuer (an <c>entra</c> one must be under a Microsoft authority; this is on loopback).</summary>
    public TokenIssuerOptions Options(string audience = "api://kodomo", string subjectClaim = TokenIssuerOptions.ObjectIdClaim) => new()
    {
        Kind = TokenIssuerOptions.OidcKind,
        AllowedClientApplications = ClientApplication,
        MetadataAddress = MetadataAddress,
        ValidIssuer = Issuer,
        Audience = audience,
        SubjectClaim = subjectClaim,
        RequireHttpsMetadata = false,
    };

    /// <summary>A token as Entra issues them: oid, sub (pairwise, differs from oid), tid.</summary>
    public string CreateToken(
        TimeProvider clock,
        string oid = "00000000-0000-0000-0000-0000000000a1",
        string audience = "api://kodomo",
        string? issuer = null,
        SigningCredentials? credentials = null,
        TimeSpan? lifetime = null,
        TimeSpan? startsIn = null,
        string? scope = TokenIssuerOptions.DefaultRequiredScope,
        string? clientApplication = ClientApplication,
        string? tenantId = "tenant-midori",
        IReadOnlyDictionary<string, object>? extraClaims = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var starts = now + (startsIn ?? TimeSpan.Zero);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(
            [
                new Claim("oid", oid),
                new Claim("sub", "pairwise-" + oid),
                new Claim("name", "佐藤 花子"),
            ]),
            Claims = Optional(scope, clientApplication, tenantId, extraClaims),
            IssuedAt = now,
            NotBefore = starts,
            Expires = starts + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = credentials ?? Credentials,
        });
    }

    private static Dictionary<string, object> Optional(string? scope, string? clientApplication, string? tenantId, IReadOnlyDictionary<string, object>? extra)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        if (scope is not null)
        {
            claims[TokenClaims.Scope] = scope;
        }

        if (clientApplication is not null)
        {
            claims[TokenClaims.AuthorizedParty] = clientApplication;
        }

        if (tenantId is not null)
        {
            claims[TokenClaims.TenantId] = tenantId;
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, object>())
        {
            claims[name] = value;
        }

        return claims;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>An RSA key pair with a key id, and its public half as a JWK.</summary>
    public sealed class SigningKey
    {
        private SigningKey(RSAParameters parameters, string keyId)
        {
            Public = new RSAParameters { Modulus = parameters.Modulus, Exponent = parameters.Exponent };
            Credentials = new SigningCredentials(new RsaSecurityKey(parameters) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);
            KeyId = keyId;
        }

        public string KeyId { get; }

        public SigningCredentials Credentials { get; }

        private RSAParameters Public { get; }

        public static SigningKey New()
        {
            using var rsa = RSA.Create(2048);
            return new SigningKey(rsa.ExportParameters(includePrivateParameters: true), Guid.NewGuid().ToString("N"));
        }

        public object PublicJwk() => new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(Public.Modulus),
            ["e"] = Base64UrlEncoder.Encode(Public.Exponent),
        };
    }
}
