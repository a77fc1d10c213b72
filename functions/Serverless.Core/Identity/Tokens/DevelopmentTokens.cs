using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Serverless.Identity.Tokens;

/// <summary>
/// Mints development bearer tokens (HS256 with the development key) for the Dev tool's <c>token</c>
/// command, the local host and tests. Self-contained on purpose: tools/Dev compiles this file as a linked
/// file, without referencing the app's projects.
/// </summary>
public static class DevelopmentTokens
{
    /// <summary>The name a development token's <see cref="TokenIdentity.Issuer"/> carries.</summary>
    public const string IssuerName = "development";

    public const string DefaultIssuer = "https://development.invalid/serverless";

    public const string DefaultAudience = "api://serverless-development";

    /// <summary>The scope development tokens carry: the API's delegated scope (<c>TokenIssuerOptions.DefaultRequiredScope</c>).</summary>
    public const string DefaultScope = "access_as_user";

    /// <summary>The client application (<c>azp</c>) development tokens come from, as a person's tokens from Entra name the app they signed in through.</summary>
    public const string DefaultClientApplication = "serverless-development-client";

    public const int MinimumKeyBytes = 32;

    /// <summary>A signed token for <paramref name="subject"/> (its <c>sub</c>), valid from now for <paramref name="lifetime"/>.</summary>
    public static string Create(
        string signingKey,
        string subject,
        TimeSpan lifetime,
        TimeProvider clock,
        string issuer = DefaultIssuer,
        string audience = DefaultAudience,
        string? scope = DefaultScope,
        string? clientApplication = DefaultClientApplication)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(Claims(subject, scope, clientApplication)),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(SigningKey(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }

    private static IEnumerable<Claim> Claims(string subject, string? scope, string? clientApplication)
    {
        yield return new Claim(JwtRegisteredClaimNames.Sub, subject);
        if (scope is not null)
        {
            yield return new Claim(TokenClaims.Scope, scope);
        }

        if (clientApplication is not null)
        {
            yield return new Claim(TokenClaims.AuthorizedParty, clientApplication);
        }
    }

    /// <summary>The symmetric key from its base64 form; throws <see cref="FormatException"/> when it is not base64 of at least 32 bytes.</summary>
    public static SymmetricSecurityKey SigningKey(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return bytes.Length >= MinimumKeyBytes
            ? new SymmetricSecurityKey(bytes)
            : throw new FormatException($"The development signing key must be at least {MinimumKeyBytes} bytes.");
    }
}
