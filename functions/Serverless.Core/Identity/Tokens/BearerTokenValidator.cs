using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Serverless.Storage;

namespace Serverless.Identity.Tokens;

/// <summary>
/// From the text after <c>Authorization: Bearer</c> to a validated <see cref="TokenIdentity"/>, with
/// Microsoft's JWT and OpenID Connect libraries doing all parsing and cryptography. The token's
/// unvalidated <c>iss</c> only chooses which configured issuer to validate against; that issuer's exact
/// issuer, audience, lifetime and signature (keys from its OpenID Connect metadata) are then all required.
/// Logs carry the issuer's name and the reason, never the token or its claims.
/// </summary>
public sealed partial class BearerTokenValidator
{
    /// <summary>Small, so an expired token stops working soon; enough for clocks a little apart.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    // What OpenID Connect providers sign with. Symmetric algorithms are refused for them: their keys are
    // public, and a token "signed" with a public key as an HMAC secret must never pass.
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private static readonly string[] DevelopmentAlgorithms = [SecurityAlgorithms.HmacSha256];

    // One client for every issuer's metadata: a short timeout, as a caller waits behind the first fetch.
    private static readonly HttpClient MetadataClient = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly JsonWebTokenHandler handler = new();
    private readonly Dictionary<string, ConfiguredIssuer> issuersByIss;
    private readonly IOptions<DevelopmentTokenOptions> development;
    private readonly IOptions<StorageOptions> storage;
    private readonly TimeProvider clock;
    private readonly ILogger<BearerTokenValidator> logger;

    public BearerTokenValidator(
        IOptions<TokenIssuersOptions> issuers,
        IOptions<DevelopmentTokenOptions> development,
        IOptions<StorageOptions> storage,
        TimeProvider clock,
        ILogger<BearerTokenValidator> logger)
    {
        issuersByIss = issuers.Value.Where(pair => !pair.Value.IsBlank).ToDictionary(
            pair => pair.Value.ValidIssuer!,
            pair => new ConfiguredIssuer(pair.Key, pair.Value, CreateMetadata(pair.Value)),
            StringComparer.Ordinal);
        this.development = development;
        this.storage = storage;
        this.clock = clock;
        this.logger = logger;
    }

    public async Task<TokenValidationOutcome> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        JsonWebToken unvalidated;
        try
        {
            unvalidated = handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return Refuse(issuer: null, TokenFailure.Malformed);
        }

        if (unvalidated.IsEncrypted)
        {
            return Refuse(issuer: null, TokenFailure.Malformed);
        }

        var iss = unvalidated.Issuer;
        if (DevelopmentIssuer() is { } developmentIssuer && string.Equals(iss, developmentIssuer.Options.Issuer, StringComparison.Ordinal))
        {
            return await ValidateDevelopmentAsync(token, developmentIssuer);
        }

        if (string.IsNullOrEmpty(iss) || !issuersByIss.TryGetValue(iss, out var issuer))
        {
            return Refuse(issuer: null, TokenFailure.UnknownIssuer);
        }

        return await ValidateConfiguredAsync(token, issuer, cancellationToken);
    }

    private async Task<TokenValidationOutcome> ValidateConfiguredAsync(string token, ConfiguredIssuer issuer, CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration metadata;
        try
        {
            metadata = await issuer.Metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMetadataUnavailable(issuer.Name, ex);
            return Refuse(issuer.Name, TokenFailure.MetadataUnavailable);
        }

        var result = await ValidateWithKeysAsync(token, issuer, metadata);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key we have not seen: perhaps the issuer rotated its keys since the metadata was read.
            // Ask the library for new metadata (once; it throttles further requests) and judge again.
            var refreshed = await issuer.RefreshAsync(metadata).WaitAsync(cancellationToken);
            if (!ReferenceEquals(refreshed, metadata))
            {
                result = await ValidateWithKeysAsync(token, issuer, refreshed);
            }
        }

        return Outcome(result, issuer.Name, issuer.Options.SubjectClaim, token => ApiTokenRequirements.Check(
            token, issuer.Options.RequiredScope, issuer.ClientApplications, clientsRequired: issuer.Options.IsEntra));
    }

    private async Task<TokenValidationResult> ValidateWithKeysAsync(string token, ConfiguredIssuer issuer, OpenIdConnectConfiguration metadata)
    {
        var parameters = Parameters(issuer.Options.ValidIssuer!, issuer.Options.Audience!, AsymmetricAlgorithms);
        parameters.IssuerSigningKeys = metadata.SigningKeys;
        return await handler.ValidateTokenAsync(token, parameters);
    }

    private async Task<TokenValidationOutcome> ValidateDevelopmentAsync(string token, (DevelopmentTokenOptions Options, SecurityKey Key) developmentIssuer)
    {
        var parameters = Parameters(developmentIssuer.Options.Issuer, developmentIssuer.Options.Audience, DevelopmentAlgorithms);
        parameters.IssuerSigningKey = developmentIssuer.Key;
        var result = await handler.ValidateTokenAsync(token, parameters);
        var client = new HashSet<string>(StringComparer.Ordinal) { developmentIssuer.Options.ClientApplication };
        return Outcome(result, DevelopmentTokens.IssuerName, TokenIssuerOptions.SubjectIdClaim, token => ApiTokenRequirements.Check(
            token, DevelopmentTokens.DefaultScope, client, clientsRequired: true));
    }

    /// <summary>
    /// The development issuer with its key, or null unless it is enabled AND storage is the local emulator.
    /// Checked on every call, as the development sign-in does: it never works against real storage.
    /// </summary>
    private (DevelopmentTokenOptions Options, SecurityKey Key)? DevelopmentIssuer()
    {
        var options = development.Value;
        if (!options.Enabled
            || options.SigningKey is not { Length: > 0 } signingKey
            || storage.Value.ConnectionString is not { Length: > 0 } connection
            || !StorageOptions.IsEmulator(connection))
        {
            return null;
        }

        try
        {
            return (options, DevelopmentTokens.SigningKey(signingKey));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private TokenValidationParameters Parameters(string validIssuer, string audience, string[] algorithms) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = validIssuer,
        ValidateAudience = true,
        ValidAudience = audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        // TokenValidationParameters.TimeProvider is internal in 8.x: the lifetime check reads the injected clock here.
        LifetimeValidator = ValidateLifetime,
        RequireSignedTokens = true,
        ValidAlgorithms = algorithms,
    };

    /// <summary>The library's own lifetime rules (exp required, nbf before exp, the clock skew), on the injected clock.</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (expires is not { } end)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiration time.");
        }

        if (notBefore is { } start && start > end)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's lifetime ends before it begins.") { NotBefore = start, Expires = end };
        }

        if (notBefore is { } begins && begins > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = begins };
        }

        if (end < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = end };
        }

        return true;
    }

    private TokenValidationOutcome Outcome(TokenValidationResult result, string issuerName, string subjectClaim, Func<JsonWebToken, string?> forThisApi)
    {
        if (!result.IsValid || result.SecurityToken is not JsonWebToken validated)
        {
            var reason = Reason(result.Exception);
            LogRefusedBecause(issuerName, reason, result.Exception?.GetType().Name ?? "none");
            return TokenValidationOutcome.Invalid(reason);
        }

        if (!validated.TryGetPayloadValue<string>(subjectClaim, out var subject) || string.IsNullOrWhiteSpace(subject))
        {
            return Refuse(issuerName, TokenFailure.Malformed);
        }

        // Which of these checks failed is logged (a reason code), never told to the caller: all are 401.
        if (forThisApi(validated) is { } notForThisApi)
        {
            return Refuse(issuerName, notForThisApi);
        }

        var tenant = validated.TryGetPayloadValue<string>(TokenClaims.TenantId, out var tid) && !string.IsNullOrWhiteSpace(tid) ? tid : null;
        return TokenValidationOutcome.Valid(new TokenIdentity(issuerName, validated.Issuer, subject, tenant));
    }

    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => TokenFailure.Expired,
        SecurityTokenNotYetValidException => TokenFailure.NotYetValid,
        SecurityTokenInvalidAudienceException => TokenFailure.BadAudience,
        SecurityTokenInvalidIssuerException => TokenFailure.UnknownIssuer,
        SecurityTokenInvalidSignatureException => TokenFailure.BadSignature, // includes a key that is not found
        SecurityTokenInvalidAlgorithmException => TokenFailure.BadSignature,
        SecurityTokenInvalidSigningKeyException => TokenFailure.BadSignature,
        _ => TokenFailure.Malformed, // no exp, a lifetime that ends before it begins, unreadable parts
    };

    private TokenValidationOutcome Refuse(string? issuer, string reason)
    {
        LogRefused(issuer ?? "(none)", reason);
        return TokenValidationOutcome.Invalid(reason);
    }

    private static ConfigurationManager<OpenIdConnectConfiguration> CreateMetadata(TokenIssuerOptions options) =>
        new(
            options.MetadataAddress!,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(MetadataClient) { RequireHttps = options.RequireHttpsMetadata });

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token refused (issuer {Issuer}): {Reason}")]
    private partial void LogRefused(string issuer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token refused (issuer {Issuer}): {Reason} ({ExceptionType})")]
    private partial void LogRefusedBecause(string issuer, string reason, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenID Connect metadata of issuer {Issuer} is unavailable")]
    private partial void LogMetadataUnavailable(string issuer, Exception exception);

    /// <summary>One configured issuer and its metadata, cached and refreshed by the library's ConfigurationManager.</summary>
    private sealed class ConfiguredIssuer(string name, TokenIssuerOptions options, ConfigurationManager<OpenIdConnectConfiguration> metadata)
    {
        // How long a caller waits for new metadata after a key miss before its token is refused.
        private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

        private readonly Lock gate = new();
        private Task<OpenIdConnectConfiguration>? refresh;
        private long refreshStarted;

        public string Name => name;

        public TokenIssuerOptions Options => options;

        public IReadOnlySet<string> ClientApplications { get; } = options.ClientApplications();

        public ConfigurationManager<OpenIdConnectConfiguration> Metadata => metadata;

        /// <summary>
        /// Calls the library's RequestRefresh and returns the metadata once it has changed (or the latest after
        /// a short wait). The library refreshes in the background (unless its blocking switch is set), so without
        /// waiting the first tokens signed with a rotated key would be refused. Callers during one refresh share
        /// it; within the library's RefreshInterval (it ignores further requests then) the last result is reused,
        /// so tokens naming unknown keys neither flood the issuer nor wait.
        /// </summary>
        public Task<OpenIdConnectConfiguration> RefreshAsync(OpenIdConnectConfiguration stale)
        {
            lock (gate)
            {
                var now = Environment.TickCount64;
                if (refresh is not null && TimeSpan.FromMilliseconds(now - refreshStarted) < metadata.RefreshInterval)
                {
                    return refresh;
                }

                refreshStarted = now;
                refresh = WaitForNewMetadataAsync(stale);
                return refresh;
            }
        }

        private async Task<OpenIdConnectConfiguration> WaitForNewMetadataAsync(OpenIdConnectConfiguration stale)
        {
            metadata.RequestRefresh();
            var waited = TimeSpan.Zero;
            while (true)
            {
                try
                {
                    var current = await metadata.GetConfigurationAsync(CancellationToken.None);
                    if (!ReferenceEquals(current, stale) || waited >= RefreshWait)
                    {
                        return current;
                    }
                }
                catch (InvalidOperationException) when (waited < RefreshWait)
                {
                    // Nothing cached and nothing fetched yet: keep waiting for the refresh.
                }
                catch (InvalidOperationException)
                {
                    return stale;
                }

                await Task.Delay(PollInterval);
                waited += PollInterval;
            }
        }
    }
}
