namespace Serverless.Identity.People;

/// <summary>
/// A person the council knows: registered by an admin before their first sign-in, from the issuer
/// and subject their organisation's directory gives them. The display name is for coordinators
/// naming staff on a case; it stays in the row, never in a key, a log or an audit entry.
/// </summary>
/// <remarks><see cref="SignIn"/> is written once, at the first sign-in (<see cref="PeopleDirectory.PinSignInAsync"/>);
/// saving the profile (registering again, renaming) never changes it.</remarks>
public sealed record PersonProfile(string PersonId, string IssuerName, string Subject, string DisplayName, DateTimeOffset RegisteredAt, string RegisteredBy)
{
    /// <summary>The issuer and tenant of the person's first sign-in, or null before it.</summary>
    public PinnedSignIn? SignIn { get; init; }
}
