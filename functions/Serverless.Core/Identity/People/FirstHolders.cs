using System.Security.Cryptography;
using System.Text;
using Azure;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Time;

namespace Serverless.Identity.People;

/// <summary>The first admin or the first coordinator of an instance, and the coordinating division they belong to.</summary>
/// <param name="AgencyName">Registers the agency when it is missing; null leaves a missing agency an error.</param>
public sealed record FirstHolder(CallerRole Role, string AgencyId, string? AgencyName, string Issuer, string Subject, string DisplayName);

/// <summary>When a first holder may be registered.</summary>
public enum FirstHolderRule
{
    /// <summary>While nobody holds the role today (<c>serverless-ops people bootstrap</c>: a person with a data role, audited).</summary>
    NobodyHoldsItToday,

    /// <summary>Only while nobody has ever held the role (the app, from its settings, on every start): once the first
    /// holder has been registered, ending their membership never brings the setting back to life.</summary>
    NobodyEverHeldIt,
}

public abstract record FirstHolderOutcome
{
    private FirstHolderOutcome()
    {
    }

    public sealed record Registered(string PersonId, string MembershipId, DateOnly From) : FirstHolderOutcome;

    /// <summary>Someone holds (or held) the role already; nothing was changed.</summary>
    public sealed record Refused(int Holders) : FirstHolderOutcome;

    /// <summary>The agency is not registered and no name was given to register it; nothing was changed.</summary>
    public sealed record AgencyUnknown : FirstHolderOutcome;
}

/// <summary>
/// Registers the first admin or coordinator of a fresh instance: nobody can sign in yet to grant them. Used by
/// <c>serverless-ops people bootstrap</c> and by <see cref="FirstHoldersAtStartup"/> (the deployment's own settings,
/// so nobody needs a data role). Audited as <see cref="AuditActions.OpsBootstrap"/>.
/// </summary>
public sealed class FirstHolders(PeopleDirectory people, AgencyDirectory agencies, IAuditTrail audit, TimeProvider clock)
{
    public async Task<FirstHolderOutcome> RegisterAsync(FirstHolder holder, FirstHolderRule rule, string actorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var today = JapanTime.Today(clock);
        var holders = (await people.AllAsync(cancellationToken)).Count(person => person.Memberships.Any(membership =>
            membership.Role == holder.Role && (rule == FirstHolderRule.NobodyEverHeldIt || membership.ValidTo is null || membership.ValidTo >= today)));
        if (holders > 0)
        {
            return new FirstHolderOutcome.Refused(holders);
        }

        if (await agencies.FindAsync(holder.AgencyId, cancellationToken) is null)
        {
            if (holder.AgencyName is null)
            {
                return new FirstHolderOutcome.AgencyUnknown();
            }

            await agencies.SaveAsync(new Agency(holder.AgencyId, holder.AgencyName, AgencyKind.MunicipalDivision, IsCouncilMember: true), cancellationToken);
        }

        var personId = PersonIds.For(holder.Issuer, holder.Subject);
        var (existing, _) = await people.FindAsync(personId, cancellationToken);
        await people.SaveProfileAsync(
            new PersonProfile(personId, holder.Issuer, holder.Subject, holder.DisplayName, existing?.RegisteredAt ?? clock.GetUtcNow(), existing?.RegisteredBy ?? actorId),
            cancellationToken);

        // The app registers from every instance that starts: one membership id per role, so two instances starting
        // together write one membership (the second insert fails) instead of two.
        var membershipId = rule == FirstHolderRule.NobodyEverHeldIt ? FirstMembershipId(holder.Role) : MembershipIds.New();
        var membership = new Membership(membershipId, personId, holder.AgencyId, holder.Role, today, null, MayBreakGlass: holder.Role == CallerRole.Coordinator, actorId, clock.GetUtcNow());
        try
        {
            await people.GrantAsync(membership, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return new FirstHolderOutcome.Refused(1);
        }

        await audit.RecordAsync(
            new AuditActor(AuditActorKind.System, actorId, holder.AgencyId, holder.Role.ToString()),
            new AuditRequest(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), null),
            AuditActions.OpsBootstrap,
            caseId: null,
            AuditOutcome.Succeeded,
            cancellationToken,
            new AuditTarget(personId, membershipId, holder.Role.ToString(), holder.AgencyId));
        return new FirstHolderOutcome.Registered(personId, membershipId, today);
    }

    private static string FirstMembershipId(CallerRole role)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("first-" + role)))[..16];
}
