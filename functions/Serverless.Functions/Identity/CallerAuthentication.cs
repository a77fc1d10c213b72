using System.Net;
using Microsoft.AspNetCore.Http;
using Serverless.Audit;
using Serverless.Functions.Http;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.SignIn;
using Serverless.Identity.SubmissionKeys;
using Serverless.Identity.Tokens;
using Serverless.Problems;

namespace Serverless.Functions.Identity;

/// <summary>
/// Establishes who is calling, inside each function's own code path (never middleware):
/// <list type="bullet">
/// <item><c>Authorization: Bearer {jwt}</c>: a person, validated against the configured OpenID Connect
/// issuers, then their memberships valid today (<c>X-Membership-Id</c> picks one when several are).</item>
/// <item><c>Authorization: SubmissionKey {key}</c>: an agency form's key, throttled per client address.</item>
/// </list>
/// Anything else is 401. A key in a URL never gets this far: <see cref="HttpEndpoint"/> refuses it as leaked, on every route.
/// </summary>
public sealed partial class CallerAuthentication(
    BearerTokenValidator tokens,
    SignInService signIn,
    SubmissionKeyService keys,
    FailedAttemptThrottle throttle)
{
    public const string BearerScheme = "Bearer";
    public const string SubmissionKeyScheme = "SubmissionKey";
    public const string MembershipHeader = "X-Membership-Id";

    public async Task<Authentication> AuthenticateAsync(HttpRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (TryCredentials(header, BearerScheme, out var token))
        {
            return await PersonAsync(token, request.Headers[MembershipHeader].ToString(), cancellationToken);
        }

        if (TryCredentials(header, SubmissionKeyScheme, out var key))
        {
            return await SubmissionKeyAsync(key, request.Headers.Origin.ToString(), context.Address, cancellationToken);
        }

        return Unauthenticated(AuditActor.Anonymous);
    }

    private async Task<Authentication> PersonAsync(string token, string membershipHeader, CancellationToken cancellationToken)
    {
        var validated = await tokens.ValidateAsync(token, cancellationToken);
        if (validated.Identity is not { } identity)
        {
            return Unauthenticated(AuditActor.Anonymous);
        }

        var membershipId = membershipHeader.Length > 0 ? membershipHeader : null;
        var outcome = await signIn.SignInAsync(identity, membershipId, cancellationToken);
        var person = new AuditActor(AuditActorKind.Person, PersonIds.For(identity.Issuer, identity.Subject), null, null);
        return outcome switch
        {
            SignInOutcome.SignedIn signedIn => new Authentication.Authenticated(signedIn.Caller),
            SignInOutcome.NotRegistered => new Authentication.Refused(ProblemCatalogue.NotRegistered, person),
            SignInOutcome.IssuerMismatch => new Authentication.Refused(ProblemCatalogue.IssuerMismatch, person),
            SignInOutcome.NoActiveMembership => new Authentication.Refused(ProblemCatalogue.NoActiveMembership, person),
            SignInOutcome.UnknownMembership => new Authentication.Refused(ProblemCatalogue.UnknownMembership, person),
            SignInOutcome.MembershipRequired required => new Authentication.Refused(
                ProblemCatalogue.MembershipRequired,
                person,
                "X-Membership-Id: " + string.Join(", ", required.Active.Select(membership => $"{membership.MembershipId} ({membership.AgencyId}, {membership.Role.ToString().ToLowerInvariant()})"))),
            _ => throw new InvalidOperationException($"Unmapped sign-in outcome {outcome.GetType().Name}"),
        };
    }

    /// <summary>
    /// A valid key is accepted whatever the throttle says: many offices share one address (a municipality's NAT), and
    /// someone else's failures there must not stop their form. Only a failed attempt from a throttled address is answered
    /// 429 instead of 401; the key is checked either way (one point read), so the throttle limits what failures are
    /// told, not what is checked. A key's 256 random bits are what make guessing hopeless.
    /// </summary>
    private async Task<Authentication> SubmissionKeyAsync(string key, string origin, IPAddress? address, CancellationToken cancellationToken)
    {
        var wait = throttle.RetryAfterSeconds(address);
        var outcome = await keys.AuthenticateAsync(key, origin.Length > 0 ? origin : null, address, cancellationToken);
        if (outcome is SubmissionKeyAuthentication.Succeeded succeeded)
        {
            return new Authentication.Authenticated(new Caller(succeeded.KeyId, succeeded.AgencyId, CallerRole.Submitter) { Kind = CallerKind.SubmissionKey });
        }

        throttle.RecordFailure(address);
        var failed = (SubmissionKeyAuthentication.Failed)outcome;
        var actor = failed.KeyId is null ? AuditActor.Anonymous : new AuditActor(AuditActorKind.SubmissionKey, failed.KeyId, null, null);
        return wait is { } seconds
            ? new Authentication.Refused(ProblemCatalogue.TooManyAttempts, actor, RetryAfterSeconds: seconds)
            : Unauthenticated(actor);
    }

    private static Authentication.Refused Unauthenticated(AuditActor actor) => new(ProblemCatalogue.Unauthenticated, actor);

    private static bool TryCredentials(string header, string scheme, out string credentials)
    {
        credentials = "";
        if (header.Length <= scheme.Length + 1 || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header[scheme.Length] != ' ')
        {
            return false;
        }

        credentials = header[(scheme.Length + 1)..].Trim();
        return credentials.Length > 0;
    }
}
