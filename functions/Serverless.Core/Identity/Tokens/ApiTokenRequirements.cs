using Microsoft.IdentityModel.JsonWebTokens;

namespace Serverless.Identity.Tokens;

/// <summary>
/// A signed, current token for this audience is not enough: it must be a person's token for this API, asked
/// for by a client application the council uses. Refused are app-only tokens (<c>idtyp=app</c>, or roles and
/// no scopes), tokens without this API's delegated scope in <c>scp</c>, and tokens whose <c>azp</c> (v1:
/// <c>appid</c>) is not an allowed client. Returns the <see cref="TokenFailure"/> reason, or null when the token passes.
/// </summary>
public static class ApiTokenRequirements
{
    public static string? Check(JsonWebToken token, string requiredScope, IReadOnlySet<string> allowedClients, bool clientsRequired)
    {
        if (Text(token, TokenClaims.IdentityType) is { } type && string.Equals(type, "app", StringComparison.OrdinalIgnoreCase))
        {
            return TokenFailure.AppOnly;
        }

        var scopes = Scopes(token);
        if (scopes.Count == 0)
        {
            return token.TryGetPayloadValue<object>(TokenClaims.Roles, out _) ? TokenFailure.AppOnly : TokenFailure.MissingScope;
        }

        if (!scopes.Contains(requiredScope))
        {
            return TokenFailure.MissingScope;
        }

        if (allowedClients.Count == 0)
        {
            return clientsRequired ? TokenFailure.ClientNotAllowed : null;
        }

        var client = Text(token, TokenClaims.AuthorizedParty) ?? Text(token, TokenClaims.ApplicationId);
        return client is not null && allowedClients.Contains(client) ? null : TokenFailure.ClientNotAllowed;
    }

    private static HashSet<string> Scopes(JsonWebToken token)
    {
        if (Text(token, TokenClaims.Scope) is { } spaced)
        {
            return spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }

        // Some providers write scopes as a JSON array.
        return token.TryGetPayloadValue<string[]>(TokenClaims.Scope, out var array) && array is not null
            ? array.Where(scope => !string.IsNullOrWhiteSpace(scope)).ToHashSet(StringComparer.Ordinal)
            : [];
    }

    private static string? Text(JsonWebToken token, string claim)
        => token.TryGetPayloadValue<string>(claim, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
