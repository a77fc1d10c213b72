namespace Serverless.Identity.Tokens;

/// <summary>
/// Who a validated bearer token says the caller is, and nothing more: ids, never a name or an e-mail.
/// Mapping it to a person and memberships is the membership layer's work.
/// </summary>
/// <param name="Issuer">The configured issuer's name (the key under <c>Authentication:Issuers</c>, e.g. "midori-entra"), or <see cref="DevelopmentTokens.IssuerName"/>.</param>
/// <param name="IssuerUri">The token's <c>iss</c>.</param>
/// <param name="Subject">The stable user id: <c>oid</c> or <c>sub</c>, as the issuer's <see cref="TokenIssuerOptions.SubjectClaim"/> says.</param>
/// <param name="TenantId">The <c>tid</c> claim, when the token carries one.</param>
public sealed record TokenIdentity(string Issuer, string IssuerUri, string Subject, string? TenantId);
