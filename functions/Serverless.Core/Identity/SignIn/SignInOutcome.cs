using Serverless.Identity.People;

namespace Serverless.Identity.SignIn;

/// <summary>What a signed-in person may act as today. Every kind but <see cref="SignedIn"/> is a 403
/// with its own code: the token was good, the council does not (or no longer) know the person.</summary>
public abstract record SignInOutcome
{
    public sealed record SignedIn(Caller Caller) : SignInOutcome;

    /// <summary>No person registered for this issuer and subject.</summary>
    public sealed record NotRegistered : SignInOutcome;

    /// <summary>The token's <c>iss</c> or <c>tid</c> is not the one pinned at the person's first sign-in.</summary>
    public sealed record IssuerMismatch : SignInOutcome;

    /// <summary>Registered, but no membership is valid today (ended, or not yet started).</summary>
    public sealed record NoActiveMembership : SignInOutcome;

    /// <summary>Several memberships are valid today and the request did not say which to act through.</summary>
    public sealed record MembershipRequired(IReadOnlyList<Membership> Active) : SignInOutcome;

    /// <summary>The request named a membership that is not one of the person's valid ones.</summary>
    public sealed record UnknownMembership : SignInOutcome;
}
