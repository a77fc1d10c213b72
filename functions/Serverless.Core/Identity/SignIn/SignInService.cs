using Serverless.Identity.People;
using Serverless.Identity.Tokens;
using Serverless.Time;

namespace Serverless.Identity.SignIn;

/// <summary>
/// Turns a validated token (issuer name and subject) into a caller: the person's memberships valid
/// today, read on every request (one query), so an ended membership stops working at once. A person
/// with several valid memberships names the one they act through (<c>X-Membership-Id</c>); the audit
/// records that agency and role. The first sign-in pins the token's validated <c>iss</c> and <c>tid</c> on the
/// profile; a later token from another issuer or tenant under the same issuer name is refused.
/// </summary>
public sealed class SignInService(PeopleDirectory people, TimeProvider clock)
{
    public async Task<SignInOutcome> SignInAsync(TokenIdentity identity, string? membershipId, CancellationToken cancellationToken)
    {
        var personId = PersonIds.For(identity.Issuer, identity.Subject);
        var (profile, memberships) = await people.FindAsync(personId, cancellationToken);
        if (profile is null)
        {
            return new SignInOutcome.NotRegistered();
        }

        var pinned = profile.SignIn
            ?? await people.PinSignInAsync(personId, new PinnedSignIn(identity.IssuerUri, identity.TenantId, clock.GetUtcNow()), cancellationToken);
        if (pinned is null)
        {
            return new SignInOutcome.NotRegistered();
        }

        if (!pinned.Matches(identity.IssuerUri, identity.TenantId))
        {
            return new SignInOutcome.IssuerMismatch();
        }

        var today = JapanTime.Today(clock);
        var active = memberships.Where(membership => membership.IsActiveOn(today)).OrderBy(membership => membership.MembershipId, StringComparer.Ordinal).ToList();
        Membership acting;
        if (membershipId is not null)
        {
            var chosen = active.Find(membership => membership.MembershipId == membershipId);
            if (chosen is null)
            {
                return new SignInOutcome.UnknownMembership();
            }

            acting = chosen;
        }
        else if (active.Count == 1)
        {
            acting = active[0];
        }
        else
        {
            return active.Count == 0 ? new SignInOutcome.NoActiveMembership() : new SignInOutcome.MembershipRequired(active);
        }

        return new SignInOutcome.SignedIn(new Caller(personId, acting.AgencyId, acting.Role)
        {
            MembershipId = acting.MembershipId,
            MayBreakGlass = acting.MayBreakGlass,
        });
    }
}
