using Microsoft.Extensions.Options;

namespace Serverless.Identity.Tokens;

/// <summary>
/// Start-up checks of the token settings: a missing or wrong field stops the app with a message naming
/// the setting, instead of refusing every caller later. Messages never include the signing key.
/// </summary>
public sealed class TokenOptionsValidation(IOptions<EntraAuthorityOptions> entra) : IValidateOptions<TokenIssuersOptions>, IValidateOptions<DevelopmentTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenIssuersOptions options)
    {
        var failures = new List<string>();
        var authorities = entra.Value.Authorities();
        foreach (var (setting, _) in authorities.Where(pair => pair.Authority is null))
        {
            failures.Add($"{EntraAuthorityOptions.Key}: '{setting}' is not an absolute https URL of a Microsoft sign-in authority (e.g. {EntraAuthorityOptions.PublicCloud}).");
        }

        foreach (var (issuerName, issuer) in options.Where(pair => !pair.Value.IsBlank))
        {
            var prefix = $"{TokenIssuersOptions.Section}:{issuerName}";
            if (issuerName == DevelopmentTokens.IssuerName)
            {
                failures.Add($"{prefix}: the name '{DevelopmentTokens.IssuerName}' is reserved for the development issuer (Authentication:Development).");
            }

            if (string.IsNullOrWhiteSpace(issuer.MetadataAddress))
            {
                failures.Add($"{prefix}:MetadataAddress is required (the OpenID Connect discovery URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration).");
            }
            else if (!Uri.TryCreate(issuer.MetadataAddress, UriKind.Absolute, out var metadata) || (metadata.Scheme != Uri.UriSchemeHttps && metadata.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{prefix}:MetadataAddress must be an absolute http(s) URL.");
            }
            else if (issuer.RequireHttpsMetadata && metadata.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add($"{prefix}:MetadataAddress must use https (RequireHttpsMetadata is true).");
            }

            if (string.IsNullOrWhiteSpace(issuer.ValidIssuer))
            {
                failures.Add($"{prefix}:ValidIssuer is required (the exact 'iss' of its tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0).");
            }
            else if (issuer.ValidIssuer.Contains('*', StringComparison.Ordinal) || issuer.ValidIssuer.Contains("{", StringComparison.Ordinal))
            {
                failures.Add($"{prefix}:ValidIssuer must be the exact issuer: wildcards and placeholders are not accepted.");
            }

            if (string.IsNullOrWhiteSpace(issuer.Audience))
            {
                failures.Add($"{prefix}:Audience is required (this API's application id URI or client id).");
            }

            if (issuer.Kind is not (TokenIssuerOptions.EntraKind or TokenIssuerOptions.OidcKind))
            {
                failures.Add($"{prefix}:Kind must be '{TokenIssuerOptions.EntraKind}' (Microsoft Entra ID; the default) or '{TokenIssuerOptions.OidcKind}'.");
            }
            else if (issuer.IsEntra)
            {
                failures.AddRange(EntraFailures(prefix, issuer, authorities));
            }

            if (string.IsNullOrWhiteSpace(issuer.RequiredScope) || issuer.RequiredScope.Trim().Contains(' ', StringComparison.Ordinal))
            {
                failures.Add($"{prefix}:RequiredScope must be one scope name (the delegated scope this API exposes, e.g. {TokenIssuerOptions.DefaultRequiredScope}).");
            }

            if (issuer.SubjectClaim is not (TokenIssuerOptions.ObjectIdClaim or TokenIssuerOptions.SubjectIdClaim))
            {
                failures.Add($"{prefix}:SubjectClaim must be '{TokenIssuerOptions.ObjectIdClaim}' or '{TokenIssuerOptions.SubjectIdClaim}'.");
            }
        }

        // The token's unvalidated iss picks the issuer: two issuers with one iss would make that ambiguous.
        foreach (var duplicate in options.Where(pair => !pair.Value.IsBlank && !string.IsNullOrWhiteSpace(pair.Value.ValidIssuer))
                     .GroupBy(pair => pair.Value.ValidIssuer, StringComparer.Ordinal)
                     .Where(group => group.Count() > 1))
        {
            failures.Add($"{TokenIssuersOptions.Section}: {string.Join(", ", duplicate.Select(pair => pair.Key))} have the same ValidIssuer; each issuer needs its own.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An Entra issuer's metadata and issuer under an allowed Microsoft authority, and its client applications listed.</summary>
    private static IEnumerable<string> EntraFailures(string prefix, TokenIssuerOptions issuer, IReadOnlyList<(string Setting, Uri? Authority)> authorities)
    {
        var allowed = authorities.Where(pair => pair.Authority is not null).Select(pair => pair.Authority!).ToList();
        var list = allowed.Count == 0 ? "(none)" : string.Join(", ", allowed.Select(authority => authority.AbsoluteUri));
        if (!string.IsNullOrWhiteSpace(issuer.MetadataAddress) && !allowed.Any(authority => EntraAuthorityOptions.IsUnder(issuer.MetadataAddress, authority)))
        {
            yield return $"{prefix}:MetadataAddress is not under an allowed Microsoft sign-in authority ({EntraAuthorityOptions.Key}: {list}). An Entra issuer's keys come only from Microsoft; for a sovereign cloud add its authority to {EntraAuthorityOptions.Key}, for another provider set {prefix}:Kind to '{TokenIssuerOptions.OidcKind}'.";
        }

        if (!string.IsNullOrWhiteSpace(issuer.ValidIssuer) && !allowed.Any(authority => EntraAuthorityOptions.IsUnder(issuer.ValidIssuer, authority)))
        {
            yield return $"{prefix}:ValidIssuer is not under an allowed Microsoft sign-in authority ({EntraAuthorityOptions.Key}: {list}).";
        }

        if (!issuer.RequireHttpsMetadata)
        {
            yield return $"{prefix}:RequireHttpsMetadata cannot be false for an Entra issuer.";
        }

        if (issuer.ClientApplications().Count == 0)
        {
            yield return $"{prefix}:AllowedClientApplications is required for an Entra issuer (the client ids of the applications people sign in through, separated by commas).";
        }
    }

    public ValidateOptionsResult Validate(string? name, DevelopmentTokenOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            failures.Add($"{DevelopmentTokenOptions.Section}:SigningKey is required when {DevelopmentTokenOptions.Section}:Enabled is true (base64 of at least {DevelopmentTokens.MinimumKeyBytes} bytes; the local host sets a public development key).");
        }
        else
        {
            try
            {
                DevelopmentTokens.SigningKey(options.SigningKey);
            }
            catch (FormatException)
            {
                failures.Add($"{DevelopmentTokenOptions.Section}:SigningKey must be base64 of at least {DevelopmentTokens.MinimumKeyBytes} bytes.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add($"{DevelopmentTokenOptions.Section}:Issuer must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{DevelopmentTokenOptions.Section}:Audience must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientApplication))
        {
            failures.Add($"{DevelopmentTokenOptions.Section}:ClientApplication must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
