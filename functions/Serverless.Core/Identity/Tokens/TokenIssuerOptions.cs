namespace Serverless.Identity.Tokens;

/// <summary>
/// The OpenID Connect issuers whose tokens the app accepts, by name (configuration section
/// <c>Authentication:Issuers</c>): the municipality's Entra tenant (B2B guests arrive as that tenant's
/// tokens), a board of education's tenant, and so on. Validated at start-up by <see cref="TokenOptionsValidation"/>.
/// </summary>
public sealed class TokenIssuersOptions : Dictionary<string, TokenIssuerOptions>
{
    public const string Section = "Authentication:Issuers";

    public TokenIssuersOptions()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>One issuer: where its keys are published and exactly what its tokens must say.</summary>
public sealed class TokenIssuerOptions
{
    public const string ObjectIdClaim = "oid";
    public const string SubjectIdClaim = "sub";

    /// <summary>The OpenID Connect discovery document, e.g.
    /// <c>https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The exact <c>iss</c> of this issuer's tokens (no wildcards), e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string? ValidIssuer { get; set; }

    /// <summary>The <c>aud</c> the tokens must carry: this API's application id URI or client id.</summary>
    public string? Audience { get; set; }

    /// <summary><c>oid</c> (Entra's object id, the same across the tenant's applications; the default) or <c>sub</c>.</summary>
    public string SubjectClaim { get; set; } = ObjectIdClaim;

    /// <summary>Refuse metadata and keys over plain HTTP. Only tests on loopback turn it off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>All three of metadata, issuer and audience empty: a slot the deployment left unset (Bicep
    /// writes the Entra issuer's settings empty until a tenant is given). Ignored, so nobody signs in through it.</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(MetadataAddress) && string.IsNullOrWhiteSpace(ValidIssuer) && string.IsNullOrWhiteSpace(Audience);
}
