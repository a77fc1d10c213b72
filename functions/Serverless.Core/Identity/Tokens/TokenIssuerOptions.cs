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

    /// <summary>Microsoft Entra ID: its metadata and issuer must be under an allowed sign-in authority
    /// (<see cref="EntraAuthorityOptions"/>), and its client applications must be listed.</summary>
    public const string EntraKind = "entra";

    /// <summary>Any other OpenID Connect provider.</summary>
    public const string OidcKind = "oidc";

    /// <summary>The delegated scope people's tokens must carry unless an issuer says otherwise.</summary>
    public const string DefaultRequiredScope = DevelopmentTokens.DefaultScope;

    /// <summary><see cref="EntraKind"/> (the default: the strict one) or <see cref="OidcKind"/>.</summary>
    public string Kind { get; set; } = EntraKind;

    /// <summary>The OpenID Connect discovery document, e.g.
    /// <c>https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The exact <c>iss</c> of this issuer's tokens (no wildcards), e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string? ValidIssuer { get; set; }

    /// <summary>The <c>aud</c> the tokens must carry: this API's application id URI or client id.</summary>
    public string? Audience { get; set; }

    /// <summary><c>oid</c> (Entra's object id, the same across the tenant's applications; the default) or <c>sub</c>.</summary>
    public string SubjectClaim { get; set; } = ObjectIdClaim;

    /// <summary>The delegated scope this API exposes: a person's token must carry it in its space-separated
    /// <c>scp</c>. Tokens without <c>scp</c> (app-only tokens) are refused.</summary>
    public string RequiredScope { get; set; } = DefaultRequiredScope;

    /// <summary>The client applications (their <c>azp</c>, or v1 <c>appid</c>) whose tokens are accepted,
    /// separated by commas, semicolons or spaces. Required for <see cref="EntraKind"/>; for <see cref="OidcKind"/>
    /// empty means any client the issuer signs for this audience.</summary>
    public string? AllowedClientApplications { get; set; }

    /// <summary>Refuse metadata and keys over plain HTTP. Only tests on loopback turn it off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>All three of metadata, issuer and audience empty: a slot the deployment left unset (Bicep
    /// writes the Entra issuer's settings empty until a tenant is given). Ignored, so nobody signs in through it.</summary>
    public bool IsEntra => string.Equals(Kind, EntraKind, StringComparison.OrdinalIgnoreCase);

    /// <summary><see cref="AllowedClientApplications"/> as a set.</summary>
    public IReadOnlySet<string> ClientApplications() => SettingLists.Split(AllowedClientApplications);

    public bool IsBlank => string.IsNullOrWhiteSpace(MetadataAddress) && string.IsNullOrWhiteSpace(ValidIssuer) && string.IsNullOrWhiteSpace(Audience);
}
