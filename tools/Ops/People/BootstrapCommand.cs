using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Agencies;
using Serverless.Identity;
using Serverless.Identity.People;

namespace Serverless.Ops.People;

/// <summary>
/// <c>people bootstrap</c>: registers the first admin or the first coordinator of a fresh instance
/// (nobody can sign in to grant them), with their agency if it is missing. It works only while nobody
/// holds that role, so it is no back door later: after that, memberships go through the admin API.
/// Recorded in the audit trail as an ops action. A deployment usually names them in its parameters
/// instead (the app registers them itself, <see cref="FirstHoldersAtStartup"/>); this command is for
/// an instance where every holder of a role has left.
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
            var holder = new FirstHolder(chosen, agency, parseResult.GetValue(agencyName), parseResult.GetValue(issuer)!, parseResult.GetValue(subject)!, parseResult.GetValue(displayName)!);
            switch (await services.GetRequiredService<FirstHolders>().RegisterAsync(holder, FirstHolderRule.NobodyHoldsItToday, "ops-bootstrap", cancellationToken))
            {
                case FirstHolderOutcome.Registered registered:
                    await output.WriteLineAsync($"Registered {registered.PersonId} as {chosen.ToString().ToLowerInvariant()} of {agency} (membership {registered.MembershipId}, from {registered.From:yyyy-MM-dd}). They can sign in now.");
                    return ExitCodes.Ok;
                case FirstHolderOutcome.Refused refused:
                    await error.WriteLineAsync($"Refusing: {refused.Holders} person(s) already hold the {chosen.ToString().ToLowerInvariant()} role. Grant it through the admin API (POST /api/admin/people/{{personId}}/memberships), signed in and audited.");
                    return ExitCodes.Failure;
                default:
                    throw new UsageException($"Agency {agency} is not registered: give --agency-name to register it.");
            }
        });
        return command;
    }
}
