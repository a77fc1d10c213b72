namespace Serverless.Identity.Tokens;

/// <summary>The claim names the app reads besides the subject.</summary>
public static class TokenClaims
{
    /// <summary>Delegated scopes, space-separated (<c>scp</c>); absent in app-only tokens.</summary>
    public const string Scope = "scp";

    /// <summary>The client application the token was issued to (v2.0 and OpenID Connect).</summary>
    public const string AuthorizedParty = "azp";

    /// <summary>The client application in Entra v1.0 tokens.</summary>
    public const string ApplicationId = "appid";

    /// <summary>Entra's optional token type claim: <c>app</c> for an application's own token, <c>user</c> for a person's.</summary>
    public const string IdentityType = "idtyp";

    /// <summary>Application roles: what an app-only token carries instead of scopes.</summary>
    public const string Roles = "roles";

    public const string TenantId = "tid";
}
