using System.Diagnostics.CodeAnalysis;

namespace Serverless.Identity.Tokens;

/// <summary>A validated identity, or the stable, non-secret reason a token was refused (one of <see cref="TokenFailure"/>).</summary>
public sealed record TokenValidationOutcome
{
    private TokenValidationOutcome(TokenIdentity? identity, string? failure)
    {
        Identity = identity;
        Failure = failure;
    }

    public TokenIdentity? Identity { get; }

    public string? Failure { get; }

    [MemberNotNullWhen(true, nameof(Identity))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsValid => Identity is not null;

    public static TokenValidationOutcome Valid(TokenIdentity identity) => new(identity, null);

    public static TokenValidationOutcome Invalid(string failure) => new(null, failure);
}

/// <summary>Why a token was refused. Stable strings: safe to log and to return to the caller.</summary>
public static class TokenFailure
{
    /// <summary>Not a signed JWT, or a required claim (exp, the subject) is missing.</summary>
    public const string Malformed = "malformed";

    /// <summary>The <c>iss</c> is not a configured issuer (or is the development issuer where that is off).</summary>
    public const string UnknownIssuer = "unknown-issuer";

    public const string Expired = "expired";

    public const string NotYetValid = "not-yet-valid";

    /// <summary>No signature, <c>alg: none</c>, an algorithm the issuer does not use, or no key of the issuer verifies it.</summary>
    public const string BadSignature = "bad-signature";

    public const string BadAudience = "bad-audience";

    /// <summary>An application's own token (<c>idtyp=app</c>, or roles without scopes): only people call this API.</summary>
    public const string AppOnly = "app-only";

    /// <summary>The token lacks this API's delegated scope in <c>scp</c>.</summary>
    public const string MissingScope = "missing-scope";

    /// <summary>The token's client application (<c>azp</c>/<c>appid</c>) is not an allowed one.</summary>
    public const string ClientNotAllowed = "client-not-allowed";

    /// <summary>The issuer's OpenID Connect metadata (and so its keys) could not be read.</summary>
    public const string MetadataUnavailable = "metadata-unavailable";
}
