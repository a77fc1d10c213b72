using System.CommandLine;
using System.Text.Json.Nodes;

namespace Serverless.Ops.Admin;

/// <summary><c>people register|list</c> and <c>memberships grant|end</c>, through the admin API.</summary>
internal static class MembershipsCommand
{
    /// <summary><c>people register</c> and <c>people list</c>.</summary>
    public static IEnumerable<Command> PeopleCommands(AdminApi api, TextWriter output, TextWriter error)
    {
        var issuer = new Option<string>("--issuer") { Description = "The issuer's name as configured, e.g. entra.", Required = true };
        var subject = new Option<string>("--subject") { Description = "The person's subject there (Entra: the user's object id).", Required = true };
        var displayName = new Option<string>("--display-name") { Description = "The name coordinators see when they name staff on a case.", Required = true };
        var register = new Command("register", "Register a person before their first sign-in (prints the person id).") { issuer, subject, displayName };
        register.SetAction((parseResult, cancellationToken) => api.SendAsync(
            parseResult,
            HttpMethod.Post,
            "api/admin/people",
            new JsonObject { ["issuer"] = parseResult.GetValue(issuer), ["subject"] = parseResult.GetValue(subject), ["displayName"] = parseResult.GetValue(displayName) },
            output,
            error,
            cancellationToken));

        var agency = new Option<string>("--agency-id") { Description = "Only people with a membership in this agency." };
        var list = new Command("list", "People and their memberships.") { agency };
        list.SetAction((parseResult, cancellationToken) => api.SendAsync(
            parseResult, HttpMethod.Get, "api/admin/people" + (parseResult.GetValue(agency) is { } id ? "?agency=" + Uri.EscapeDataString(id) : ""), null, output, error, cancellationToken));

        return [register, list];
    }

    public static Command Create(AdminApi api, TextWriter output, TextWriter error)
    {
        var personId = new Option<string>("--person-id") { Description = "The person (p-...).", Required = true, Recursive = true };
        var agencyId = new Option<string>("--agency-id") { Description = "The agency of the membership.", Required = true };
        var role = new Option<string>("--role") { Description = "member, auditor or admin (coordinator: only a coordinator's token may grant it).", Required = true };
        var from = new Option<string>("--from") { Description = "First day, yyyy-MM-dd (Japan date).", Required = true };
        var to = new Option<string>("--to") { Description = "Last day, yyyy-MM-dd (inclusive); open-ended when left out." };
        var breakGlass = new Option<bool>("--break-glass") { Description = "Designate for break-glass (coordinators and child-guidance-centre members only)." };
        var grant = new Command("grant", "Give a person a membership.") { agencyId, role, from, to, breakGlass };
        grant.SetAction((parseResult, cancellationToken) => api.SendAsync(
            parseResult,
            HttpMethod.Post,
            $"api/admin/people/{Uri.EscapeDataString(parseResult.GetValue(personId)!)}/memberships",
            new JsonObject
            {
                ["agencyId"] = parseResult.GetValue(agencyId),
                ["role"] = parseResult.GetValue(role),
                ["validFrom"] = parseResult.GetValue(from),
                ["validTo"] = parseResult.GetValue(to),
                ["mayBreakGlass"] = parseResult.GetValue(breakGlass),
            },
            output,
            error,
            cancellationToken));

        var membershipId = new Option<string>("--membership-id") { Description = "The membership to end.", Required = true };
        var lastDay = new Option<string>("--last-day") { Description = "Its last day, yyyy-MM-dd (today: it stops tonight; a past day: at once).", Required = true };
        var end = new Command("end", "End a membership (never extends one).") { membershipId, lastDay };
        end.SetAction((parseResult, cancellationToken) => api.SendAsync(
            parseResult,
            HttpMethod.Post,
            $"api/admin/people/{Uri.EscapeDataString(parseResult.GetValue(personId)!)}/memberships/{Uri.EscapeDataString(parseResult.GetValue(membershipId)!)}/end",
            new JsonObject { ["lastDay"] = parseResult.GetValue(lastDay) },
            output,
            error,
            cancellationToken));

        return new Command("memberships", "A person's memberships: agency, role, first and last day (admin API).") { personId, grant, end };
    }
}
