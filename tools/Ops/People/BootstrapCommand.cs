using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Time;

namespace Serverless.Ops.People;

/// <summary>
/// <c>people bootstrap</c>: registers the first admin or the first coordinator of a fresh instance
/// (nobody can sign in to grant them), with their agency if it is missing. It works only while nobody
/// holds that role, so it is no back door later: after that, memberships go through the admin API.
/// Recorded in the audit trail as an ops action.
/// </summary>
internal static class BootstrapCommand
{
    public static Command Create(StorageConnection connection, TextWriter output, TextWriter error)
    {
        var role = new Option<string>("--role") { Description = "admin or coordinator.", Required = true };
        var agencyId = new Option<string>("--agency-id") { Description = "The coordinating division's agency id, e.g. midori-kodomo-ka.", Required = true };
        var agencyName = new Option<string>("--agency-name") { Description = "Its name, when it is not registered yet (e.g. みどり市 子ども家庭課)." };
        var issuer = new Option<string>("--issuer") { Description = "The issuer name as configured (Authentication__Issuers__<name>), e.g. entra.", Required = true };
        var subject = new Option<string>("--subject") { Description = "The person's subject in that issuer (Entra: the user's object id).", Required = true };
        var displayName = new Option<string>("--display-name") { Description = "The name coordinators see.", Required = true };
        var command = new Command("bootstrap", "Register the first admin or the first coordinator of a new instance (refused once anyone holds that role).")
        {
            role, agencyId, agencyName, issuer, subject, displayName,
        };
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var chosen = parseResult.GetValue(role) switch
            {
                "admin" => CallerRole.Admin,
                "coordinator" => CallerRole.Coordinator,
                _ => throw new UsageException("--role must be admin or coordinator: every other membership is granted through the admin API."),
            };
            var agency = parseResult.GetValue(agencyId)!;
            if (!AgencyIds.IsValid(agency))
            {
                throw new UsageException("--agency-id must be 3 to 40 lowercase letters, digits or dashes.");
            }

            await using var services = connection.BuildServices(parseResult);
            var people = services.GetRequiredService<PeopleDirectory>();
            var agencies = services.GetRequiredService<AgencyDirectory>();
            var clock = services.GetRequiredService<TimeProvider>();
            var today = JapanTime.Today(clock);

            var holders = await HoldersAsync(people, chosen, today, cancellationToken);
            if (holders > 0)
            {
                await error.WriteLineAsync($"Refusing: {holders} person(s) already hold the {chosen.ToString().ToLowerInvariant()} role. Grant it through the admin API (POST /api/admin/people/{{personId}}/memberships), signed in and audited.");
                return ExitCodes.Failure;
            }

            if (await agencies.FindAsync(agency, cancellationToken) is null)
            {
                var name = parseResult.GetValue(agencyName) ?? throw new UsageException($"Agency {agency} is not registered: give --agency-name to register it.");
                await agencies.SaveAsync(new Agency(agency, name, AgencyKind.MunicipalDivision, IsCouncilMember: true), cancellationToken);
            }

            var personId = PersonIds.For(parseResult.GetValue(issuer)!, parseResult.GetValue(subject)!);
            var (existing, _) = await people.FindAsync(personId, cancellationToken);
            await people.SaveProfileAsync(
                new PersonProfile(personId, parseResult.GetValue(issuer)!, parseResult.GetValue(subject)!, parseResult.GetValue(displayName)!, existing?.RegisteredAt ?? clock.GetUtcNow(), existing?.RegisteredBy ?? "ops-bootstrap"),
                cancellationToken);
            var membership = new Membership(MembershipIds.New(), personId, agency, chosen, today, null, MayBreakGlass: chosen == CallerRole.Coordinator, "ops-bootstrap", clock.GetUtcNow());
            await people.GrantAsync(membership, cancellationToken);

            await services.GetRequiredService<IAuditTrail>().RecordAsync(
                new AuditActor(AuditActorKind.System, "ops-bootstrap", agency, chosen.ToString()),
                new AuditRequest(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), null),
                AuditActions.OpsBootstrap,
                caseId: null,
                AuditOutcome.Succeeded,
                cancellationToken);
            await output.WriteLineAsync($"Registered {personId} as {chosen.ToString().ToLowerInvariant()} of {agency} (membership {membership.MembershipId}, from {today:yyyy-MM-dd}). They can sign in now.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> HoldersAsync(PeopleDirectory people, CallerRole role, DateOnly today, CancellationToken cancellationToken)
        => (await people.AllAsync(cancellationToken)).Count(person => person.Memberships.Any(membership => membership.Role == role && (membership.ValidTo is null || membership.ValidTo >= today)));
}
