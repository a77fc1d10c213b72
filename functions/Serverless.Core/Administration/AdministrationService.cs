using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.Tokens;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Administration;

/// <summary>
/// Agencies, people and memberships. Admins manage them but never see case contents; coordinator
/// memberships are granted and ended only by a coordinator; nobody grants themselves a membership.
/// Coordinators may read agencies and people (they name staff on cases). Every operation decides the
/// caller's role first (a role that may not gets its usual 403 wherever it calls from), then the network
/// (<see cref="AdminNetworkPolicy"/>), before it reads or changes anything.
/// </summary>
public sealed partial class AdministrationService(
    AgencyDirectory agencies,
    PeopleDirectory people,
    AdminNetworkPolicy network,
    IOptions<TokenIssuersOptions> issuers,
    IOptions<DevelopmentTokenOptions> development,
    TimeProvider clock,
    ILogger<AdministrationService> logger)
{
    /// <summary>Creates or changes an agency. An agency whose kind may lead cases and whose staff may be designated
    /// for break-glass (<see cref="IsCoordinatorKind"/>), before or after the change, is a coordinator's to save;
    /// every other agency an admin's. An admin alone could otherwise make a centre and staff it with a second account.</summary>
    public async Task<AdminOutcome<Agency>> SaveAgencyAsync(Caller caller, string agencyId, SaveAgencyRequest? request, CancellationToken cancellationToken)
    {
        if (Admit(caller, MayAdminister(caller)) is { } refusal)
        {
            return Refused<Agency>(refusal);
        }

        if (request is null)
        {
            return new AdminOutcome<Agency>.Unreadable();
        }

        var current = AgencyIds.IsValid(agencyId) ? await agencies.FindAsync(agencyId, cancellationToken) : null;
        var coordinatorKind = IsCoordinatorKind(request.Kind) || IsCoordinatorKind(current?.Kind);
        if (coordinatorKind && !caller.IsCoordinator)
        {
            return new AdminOutcome<Agency>.CoordinatorAct();
        }

        if (!coordinatorKind && !IsAdmin(caller))
        {
            return new AdminOutcome<Agency>.Forbidden();
        }

        var errors = new ValidationErrors();
        if (!AgencyIds.IsValid(agencyId))
        {
            errors.Add("$.agencyId", FieldRules.InvalidId);
        }

        errors.Required("$.name", request.Name);
        errors.Text("$.name", request.Name, AdminLimits.AgencyName);
        errors.Required("$.kind", request.Kind);
        errors.Required("$.isCouncilMember", request.IsCouncilMember);
        errors.NotInFuture("$.confidentialityAcknowledgedOn", request.ConfidentialityAcknowledgedOn, JapanTime.Today(clock));
        if (errors.Any)
        {
            return new AdminOutcome<Agency>.Invalid(errors.All);
        }

        var existed = current is not null;
        var agency = new Agency(agencyId, request.Name!.Trim(), request.Kind!.Value, request.IsCouncilMember!.Value, request.ConfidentialityAcknowledgedOn);
        await agencies.SaveAsync(agency, cancellationToken);
        logger.LogInformation("Agency {AgencyId} saved by {CallerId}", agencyId, caller.Id);
        return new AdminOutcome<Agency>.Done(agency, Created: !existed);
    }

    public async Task<AdminOutcome<IReadOnlyList<Agency>>> ListAgenciesAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (Admit(caller, MayAdminister(caller)) is { } refusal)
        {
            return Refused<IReadOnlyList<Agency>>(refusal);
        }

        var all = await agencies.AllAsync(cancellationToken);
        return new AdminOutcome<IReadOnlyList<Agency>>.Done([.. all.Values.OrderBy(agency => agency.AgencyId, StringComparer.Ordinal)]);
    }

    /// <summary>Registers a person before their first sign-in (or renames one). The id follows from issuer and subject.</summary>
    public async Task<AdminOutcome<PersonView>> RegisterPersonAsync(Caller caller, RegisterPersonRequest? request, CancellationToken cancellationToken)
    {
        if (Admit(caller, IsAdmin(caller)) is { } refusal)
        {
            return Refused<PersonView>(refusal);
        }

        if (request is null)
        {
            return new AdminOutcome<PersonView>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.issuer", request.Issuer);
        if (request.Issuer is { Length: > 0 } issuer && !IsKnownIssuer(issuer))
        {
            errors.Add("$.issuer", FieldRules.UnknownIssuer);
        }

        errors.Required("$.subject", request.Subject);
        if (request.Subject is { Length: > 0 } subject && !SubjectShape().IsMatch(subject))
        {
            errors.Add("$.subject", FieldRules.InvalidId);
        }

        errors.Required("$.displayName", request.DisplayName);
        errors.Text("$.displayName", request.DisplayName, AdminLimits.DisplayName);
        if (errors.Any)
        {
            return new AdminOutcome<PersonView>.Invalid(errors.All);
        }

        var personId = PersonIds.For(request.Issuer!, request.Subject!);
        caller.Audit.Targeted(new AuditTarget(PersonId: personId));
        var (existing, memberships) = await people.FindAsync(personId, cancellationToken);
        var profile = new PersonProfile(personId, request.Issuer!, request.Subject!, request.DisplayName!.Trim(), existing?.RegisteredAt ?? clock.GetUtcNow(), existing?.RegisteredBy ?? caller.Id);
        await people.SaveProfileAsync(profile, cancellationToken);
        logger.LogInformation("Person {PersonId} registered by {CallerId}", personId, caller.Id);
        return new AdminOutcome<PersonView>.Done(View(profile, memberships), Created: existing is null);
    }

    public async Task<AdminOutcome<IReadOnlyList<PersonView>>> ListPeopleAsync(Caller caller, string? agencyId, CancellationToken cancellationToken)
    {
        if (Admit(caller, MayAdminister(caller)) is { } refusal)
        {
            return Refused<IReadOnlyList<PersonView>>(refusal);
        }

        if (agencyId is not null)
        {
            caller.Audit.Targeted(new AuditTarget(AgencyId: agencyId));
        }

        var all = await people.AllAsync(cancellationToken);
        var views = all
            .Where(person => agencyId is null || person.Memberships.Any(membership => membership.AgencyId == agencyId))
            .Select(person => View(person.Profile, person.Memberships))
            .OrderBy(view => view.PersonId, StringComparer.Ordinal)
            .ToList();
        return new AdminOutcome<IReadOnlyList<PersonView>>.Done(views);
    }

    public async Task<AdminOutcome<MembershipView>> GrantMembershipAsync(Caller caller, string personId, GrantMembershipRequest? request, CancellationToken cancellationToken)
    {
        if (Admit(caller, MayAdminister(caller)) is { } refusal)
        {
            return Refused<MembershipView>(refusal);
        }

        if (request is null)
        {
            return new AdminOutcome<MembershipView>.Unreadable();
        }

        // What was asked for goes in the trail whether or not it is done: a refused grant of a coordinator role is
        // the attempt an auditor looks for.
        caller.Audit.Targeted(new AuditTarget(Role: request.Role?.ToString(), AgencyId: request.AgencyId));
        var (profile, _) = await people.FindAsync(personId, cancellationToken);
        if (profile is null)
        {
            return new AdminOutcome<MembershipView>.NotFound();
        }

        if (personId == caller.Id)
        {
            return new AdminOutcome<MembershipView>.Forbidden();
        }

        // Designating break-glass is a coordinator's act whatever the role granted: an admin could hand it to a
        // second account of their own. A coordinator may grant a member membership only with the designation.
        if (request.MayBreakGlass && !caller.IsCoordinator)
        {
            return new AdminOutcome<MembershipView>.CoordinatorAct();
        }

        if (request.Role is { } requested && !MayManage(caller, requested) && !(request.MayBreakGlass && caller.IsCoordinator && requested == CallerRole.Member))
        {
            return new AdminOutcome<MembershipView>.Forbidden();
        }

        var today = JapanTime.Today(clock);
        var errors = new ValidationErrors();
        errors.Required("$.agencyId", request.AgencyId);
        errors.Required("$.role", request.Role);
        errors.Required("$.validFrom", request.ValidFrom);
        if (request.Role == CallerRole.Submitter)
        {
            errors.Add("$.role", FieldRules.InvalidValue);
        }

        var agency = request.AgencyId is { Length: > 0 } id ? await agencies.FindAsync(id, cancellationToken) : null;
        if (request.AgencyId is { Length: > 0 } && agency is null)
        {
            errors.Add("$.agencyId", FieldRules.UnknownAgency);
        }

        if (request.ValidFrom > today.AddDays(AdminLimits.MaxDaysAhead))
        {
            errors.Add("$.validFrom", FieldRules.TooFarAhead, new Dictionary<string, string> { ["maxDays"] = AdminLimits.MaxDaysAhead.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (request.ValidTo < request.ValidFrom)
        {
            errors.Add("$.validTo", FieldRules.DateOrder);
        }

        // Break-glass is for coordinators and designated child-guidance-centre staff only.
        if (request.MayBreakGlass && agency is not null && !(request.Role == CallerRole.Coordinator || (request.Role == CallerRole.Member && agency.Kind == AgencyKind.ChildGuidanceCentre)))
        {
            errors.Add("$.mayBreakGlass", FieldRules.BreakGlassNotAllowed);
        }

        if (errors.Any)
        {
            return new AdminOutcome<MembershipView>.Invalid(errors.All);
        }

        var membership = new Membership(MembershipIds.New(), personId, request.AgencyId!, request.Role!.Value, request.ValidFrom!.Value, request.ValidTo, request.MayBreakGlass, caller.Id, clock.GetUtcNow());
        await people.GrantAsync(membership, cancellationToken);
        caller.Audit.Targeted(new AuditTarget(MembershipId: membership.MembershipId));
        logger.LogInformation("Membership {MembershipId} of {PersonId} granted by {CallerId}", membership.MembershipId, personId, caller.Id);
        return new AdminOutcome<MembershipView>.Done(View(membership, today), Created: true);
    }

    /// <summary>Sets a membership's last day (today ends it tonight; a past day ends it at once).</summary>
    public async Task<AdminOutcome<MembershipView>> EndMembershipAsync(Caller caller, string personId, string membershipId, EndMembershipRequest? request, CancellationToken cancellationToken)
    {
        if (Admit(caller, MayAdminister(caller)) is { } refusal)
        {
            return Refused<MembershipView>(refusal);
        }

        if (request is null)
        {
            return new AdminOutcome<MembershipView>.Unreadable();
        }

        var found = await people.FindMembershipAsync(personId, membershipId, cancellationToken);
        if (found is not { } existing)
        {
            return new AdminOutcome<MembershipView>.NotFound();
        }

        caller.Audit.Targeted(new AuditTarget(Role: existing.Membership.Role.ToString(), AgencyId: existing.Membership.AgencyId));
        if (!MayManage(caller, existing.Membership.Role))
        {
            return new AdminOutcome<MembershipView>.Forbidden();
        }

        var errors = new ValidationErrors();
        errors.Required("$.lastDay", request.LastDay);
        if (request.LastDay < existing.Membership.ValidFrom.AddDays(-1))
        {
            errors.Add("$.lastDay", FieldRules.DateOrder);
        }

        if (errors.Any)
        {
            return new AdminOutcome<MembershipView>.Invalid(errors.All);
        }

        // Ending never extends: a later day than the current end keeps the current end.
        var lastDay = existing.Membership.ValidTo is { } to && to < request.LastDay!.Value ? to : request.LastDay!.Value;
        if (existing.Membership.Role == CallerRole.Coordinator && personId != caller.Id)
        {
            // Another coordinator's: a proposal a different coordinator confirms (one alone could lock the others out).
            var pending = new PendingEnd(caller.Id, clock.GetUtcNow(), lastDay);
            if (!await people.ProposeEndAsync(existing.Membership, pending, existing.ETag, cancellationToken))
            {
                return new AdminOutcome<MembershipView>.Conflict();
            }

            logger.LogWarning("Ending membership {MembershipId} of {PersonId} proposed by {CallerId}", membershipId, personId, caller.Id);
            return new AdminOutcome<MembershipView>.Proposed(View(existing.Membership with { PendingEnd = pending }, JapanTime.Today(clock)));
        }

        if (!await people.EndAsync(existing.Membership, lastDay, caller.Id, existing.ETag, cancellationToken))
        {
            return new AdminOutcome<MembershipView>.Conflict();
        }

        logger.LogInformation("Membership {MembershipId} of {PersonId} ended by {CallerId}", membershipId, personId, caller.Id);
        return new AdminOutcome<MembershipView>.Done(View(existing.Membership with { ValidTo = lastDay, EndedBy = caller.Id, PendingEnd = null }, JapanTime.Today(clock)));
    }

    /// <summary>A coordinator other than the proposer confirms ending another coordinator's coordinator membership, within
    /// <see cref="TwoCoordinators.ProposalLifetime"/> of the proposal. Of two confirmations at once, one ends it (the ETag).</summary>
    public async Task<AdminOutcome<MembershipView>> ConfirmEndMembershipAsync(Caller caller, string personId, string membershipId, CancellationToken cancellationToken)
    {
        // Only coordinator memberships are proposed for ending, so only a coordinator ever confirms: the role is
        // decided before the network, as on every admin route (an admin from outside gets 403, as from inside).
        if (Admit(caller, caller.IsCoordinator) is { } refusal)
        {
            return Refused<MembershipView>(refusal);
        }

        var found = await people.FindMembershipAsync(personId, membershipId, cancellationToken);
        if (found is not { } existing)
        {
            return new AdminOutcome<MembershipView>.NotFound();
        }

        if (!MayManage(caller, existing.Membership.Role))
        {
            return new AdminOutcome<MembershipView>.Forbidden();
        }

        if (existing.Membership.PendingEnd is not { } pending || !TwoCoordinators.StillOpen(pending.ProposedAt, clock.GetUtcNow()))
        {
            return new AdminOutcome<MembershipView>.NoPendingProposal();
        }

        if (pending.ProposedBy == caller.Id)
        {
            return new AdminOutcome<MembershipView>.Forbidden(); // two people: nobody confirms their own proposal
        }

        if (!await people.EndAsync(existing.Membership, pending.LastDay, caller.Id, existing.ETag, cancellationToken))
        {
            return new AdminOutcome<MembershipView>.Conflict();
        }

        logger.LogWarning("Membership {MembershipId} of {PersonId} ended by {CallerId}, proposed by {ProposerId}", membershipId, personId, caller.Id, pending.ProposedBy);
        return new AdminOutcome<MembershipView>.Done(View(existing.Membership with { ValidTo = pending.LastDay, EndedBy = caller.Id, PendingEnd = null }, JapanTime.Today(clock)));
    }

    /// <summary>
    /// Submission keys are an admin's; <see cref="Identity.SubmissionKeys.SubmissionKeyService"/> does the work, and every key function
    /// asks this first: the same gate as every other admin operation. Null when the caller may go on.
    /// </summary>
    public AdminRefusal? AdmitKeyManager(Caller caller) => Admit(caller, IsAdmin(caller));

    /// <summary>The same gate for any other admin-only operation (an agency's webhooks): null when the caller may go on.</summary>
    public AdminRefusal? AdmitAdmin(Caller caller) => Admit(caller, IsAdmin(caller));

    /// <summary>The same gate for an operation admins and coordinators both use (reading transfer partners).</summary>
    public AdminRefusal? AdmitAdministrator(Caller caller) => Admit(caller, MayAdminister(caller));

    /// <summary>The same gate for a coordinator's own act (confirming a transfer partner): only the network is left to check.</summary>
    public AdminRefusal? AdmitCoordinator(Caller caller) => Admit(caller, caller.IsCoordinator);

    /// <summary>The gate of every operation: the role first, so a caller whose role may not do this keeps its
    /// 403 wherever it calls from; then the network the request came from.</summary>
    private AdminRefusal? Admit(Caller caller, bool roleMay)
        => !roleMay ? AdminRefusal.Forbidden
            : !network.Allows(caller.ClientAddress) ? AdminRefusal.OutsideNetwork
            : null;

    private static AdminOutcome<T> Refused<T>(AdminRefusal refusal)
        => refusal == AdminRefusal.OutsideNetwork ? new AdminOutcome<T>.OutsideNetwork() : new AdminOutcome<T>.Forbidden();

    private static bool IsAdmin(Caller caller) => caller.Role == CallerRole.Admin;

    /// <summary>Kinds that may lead cases and whose staff may be designated for break-glass.</summary>
    private static bool IsCoordinatorKind(AgencyKind? kind) => kind is AgencyKind.MunicipalDivision or AgencyKind.ChildGuidanceCentre;

    private bool IsKnownIssuer(string issuer)
        => (issuers.Value.TryGetValue(issuer, out var configured) && !configured.IsBlank) || (development.Value.Enabled && issuer == DevelopmentTokens.IssuerName);

    /// <summary>Admins, and coordinators (they read agencies and people, and manage coordinator memberships).</summary>
    private static bool MayAdminister(Caller caller) => caller.Role is CallerRole.Admin or CallerRole.Coordinator;

    /// <summary>Coordinator memberships are a coordinator's to grant and end; every other role an admin's.</summary>
    private static bool MayManage(Caller caller, CallerRole role)
        => role == CallerRole.Coordinator ? caller.IsCoordinator : caller.Role == CallerRole.Admin;

    private PersonView View(PersonProfile profile, IReadOnlyList<Membership> memberships)
    {
        var today = JapanTime.Today(clock);
        return new PersonView(profile.PersonId, profile.IssuerName, profile.DisplayName, [.. memberships.OrderBy(membership => membership.ValidFrom).Select(membership => View(membership, today))]);
    }

    private MembershipView View(Membership membership, DateOnly today)
        => new(
            membership.MembershipId,
            membership.AgencyId,
            membership.Role,
            membership.ValidFrom,
            membership.ValidTo,
            membership.MayBreakGlass,
            membership.IsActiveOn(today),
            membership.PendingEnd is { } pending && TwoCoordinators.StillOpen(pending.ProposedAt, clock.GetUtcNow()) ? new PendingEndView(pending.ProposedBy, pending.ProposedAt, pending.ExpiresAt, pending.LastDay) : null);

    // Entra object ids are GUIDs; other issuers' subjects are printable ASCII. Never a name or an e-mail address.
    [GeneratedRegex("^[A-Za-z0-9._:-]{1,200}$")]
    private static partial Regex SubjectShape();
}
