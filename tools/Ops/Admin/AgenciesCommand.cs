using System.CommandLine;
using System.Text.Json.Nodes;

namespace Serverless.Ops.Admin;

/// <summary><c>agencies register|list</c>, through the admin API.</summary>
internal static class AgenciesCommand
{
    public static Command Create(AdminApi api, TextWriter output, TextWriter error)
    {
        var agencyId = new Option<string>("--agency-id") { Description = "A short id: 3 to 40 lowercase letters, digits or dashes (e.g. minami-shogakko).", Required = true };
        var name = new Option<string>("--name") { Description = "The agency's name, e.g. みどり市立南小学校.", Required = true };
        var kind = new Option<string>("--kind") { Description = "municipal-division, child-guidance-centre, board-of-education, school, nursery, hospital, public-health-centre, welfare-facility, police, npo or other.", Required = true };
        var councilMember = new Option<bool>("--council-member") { Description = "A formal member of the council (構成機関)." };
        var acknowledged = new Option<string>("--acknowledged-on") { Description = "yyyy-MM-dd: when it acknowledged the confidentiality duty (児童福祉法 25条の5)." };
        var register = new Command("register", "Register an agency, or change its name, kind, membership of the council or acknowledgement.")
        {
            agencyId, name, kind, councilMember, acknowledged,
        };
        register.SetAction((parseResult, cancellationToken) => api.SendAsync(
            parseResult,
            HttpMethod.Put,
            "api/admin/agencies/" + Uri.EscapeDataString(parseResult.GetValue(agencyId)!),
            new JsonObject
            {
                ["name"] = parseResult.GetValue(name),
                ["kind"] = parseResult.GetValue(kind),
                ["isCouncilMember"] = parseResult.GetValue(councilMember),
                ["confidentialityAcknowledgedOn"] = parseResult.GetValue(acknowledged),
            },
            output,
            error,
            cancellationToken));

        var list = new Command("list", "Every agency of the council.");
        list.SetAction((parseResult, cancellationToken) => api.SendAsync(parseResult, HttpMethod.Get, "api/admin/agencies", null, output, error, cancellationToken));
        return new Command("agencies", "Agencies of the council (admin API).") { register, list };
    }
}
