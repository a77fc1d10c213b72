namespace Serverless.Identity.People;

/// <summary>
/// The validated <c>iss</c> and <c>tid</c> of a person's first sign-in, kept on their profile. A person id is
/// derived from the configured issuer's NAME and the subject, so whoever can change that issuer's settings
/// could otherwise mint a token with someone's subject from a provider of their own; a token whose
/// <c>iss</c> or <c>tid</c> differs from the pinned ones is refused (<c>auth.issuer-mismatch</c>).
/// </summary>
/// <param name="Issuer">The token's exact <c>iss</c>.</param>
/// <param name="TenantId">The token's <c>tid</c>, or null when it carried none (the development issuer, most OIDC providers).</param>
public sealed record PinnedSignIn(string Issuer, string? TenantId, DateTimeOffset PinnedAt)
{
    public bool Matches(string issuer, string? tenantId)
        => string.Equals(Issuer, issuer, StringComparison.Ordinal)
            && string.Equals(Normalize(TenantId), Normalize(tenantId), StringComparison.Ordinal);

    private static string Normalize(string? tenantId) => string.IsNullOrEmpty(tenantId) ? "" : tenantId;
}
