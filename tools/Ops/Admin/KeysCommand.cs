using System.CommandLine;
using System.Text.Json.Nodes;

namespace Serverless.Ops.Admin;

/// <summary><c>keys issue|list|rotate|revoke</c>: an agency's submission keys, through the admin API.</summary>
internal static class KeysCommand
{
    public static Command Create(AdminApi api, TextWriter output, TextWriter error)
    {
        var agencyId = new Option<string>("--agency-id") { Description = "The agency the key submits for.", Required = true, Recursive = true };
        var keyId = new Option<string>("--key-id") { Description = "The key's visible id (the 10 characters after sk_).", Required = true };
        var label = new Option<string>("--label") { Description = "What the key is for, e.g. 南小学校 通告フォーム.", Required = true };
        var expiresAt = new Option<string>("--expires-at") { Description = "ISO 8601 time with offset; at most 730 days ahead." };
        var origins = new Option<string[]>("--origin") { Description = "An allowed https origin (repeatable).", AllowMultipleArgumentsPerToken = true };
        var addresses = new Option<string[]>("--address") { Description = "An allowed address or CIDR range (repeatable).", AllowMultipleArgumentsPerToken = true };
        var overlap = new Option<int>("--overlap-seconds") { Description = "How long the old key keeps working after a rotation (0 to 604800; default 0: stops now)." };

        var issue = new Command("issue", "Issue a key. It is printed once and never again: put it in the form's server-side settings only.") { label, expiresAt, origins, addresses };
        issue.SetAction((parseResult, cancellationToken) => api.SendAsync(
            parseResult,
            HttpMethod.Post,
            Keys(parseResult.GetValue(agencyId)!),
            new JsonObject
            {
                ["label"] = parseResult.GetValue(label),
                ["expiresAt"] = parseResult.GetValue(expiresAt),
                ["allowedOrigins"] = new JsonArray([.. (parseResult.GetValue(origins) ?? []).Select(origin => (JsonNode)origin)]),
                ["allowedAddresses"] = new JsonArray([.. (parseResult.GetValue(addresses) ?? []).Select(address => (JsonNode)address)]),
            },
            output,
            error,
            cancellationToken));

        var list = new Command("list", "The agency's keys: ids, labels, bindings, expiry, revocation. Never the keys.");
        list.SetAction((parseResult, cancellationToken) => api.SendAsync(parseResult, HttpMethod.Get, Keys(parseResult.GetValue(agencyId)!), null, output, error, cancellationToken));

        var revoke = new Command("revoke", "Revoke a key: refused from the very next request.") { keyId };
        revoke.SetAction((parseResult, cancellationToken) => api.SendAsync(
            parseResult, HttpMethod.Post, $"{Keys(parseResult.GetValue(agencyId)!)}/{Uri.EscapeDataString(parseResult.GetValue(keyId)!)}/revoke", null, output, error, cancellationToken));

        var rotate = new Command("rotate", "Replace a key with a new one (printed once); the old one works for --overlap-seconds more.") { keyId, overlap };
        rotate.SetAction((parseResult, cancellationToken) => api.SendAsync(
            parseResult,
            HttpMethod.Post,
            $"{Keys(parseResult.GetValue(agencyId)!)}/{Uri.EscapeDataString(parseResult.GetValue(keyId)!)}/rotate",
            new JsonObject { ["overlapSeconds"] = parseResult.GetValue(overlap) },
            output,
            error,
            cancellationToken));

        return new Command("keys", "Submission keys of an agency's forms (admin API).") { agencyId, issue, list, revoke, rotate };
    }

    private static string Keys(string agencyId) => $"api/admin/agencies/{Uri.EscapeDataString(agencyId)}/submission-keys";
}
