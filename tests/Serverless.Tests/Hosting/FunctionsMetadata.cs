using System.Text.Json.Nodes;

namespace Serverless.Tests.Hosting;

/// <summary>The <c>functions.metadata</c> the Functions SDK generated at build: what Azure will run.</summary>
public sealed record FunctionsMetadataEntry(string Name, string EntryPoint, IReadOnlyList<JsonObject> Bindings)
{
    public JsonObject Trigger => Bindings.Single(binding => binding["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

    public string TriggerType => Trigger["type"]!.GetValue<string>();

    public static IReadOnlyList<FunctionsMetadataEntry> Load()
        => Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));

    public static IReadOnlyList<FunctionsMetadataEntry> Parse(string json)
        => JsonNode.Parse(json)!.AsArray()
            .Select(node => new FunctionsMetadataEntry(
                node!["name"]!.GetValue<string>(),
                node["entryPoint"]!.GetValue<string>(),
                node["bindings"]!.AsArray().Select(binding => binding!.AsObject()).ToList()))
            .ToList();

    /// <summary>
    /// The app checks callers itself, inside each function, and talks to storage through explicit
    /// clients. So: every HTTP trigger is anonymous, and the only output binding is the HTTP response.
    /// Returns one line per violation.
    /// </summary>
    public static IReadOnlyList<string> RuleViolations(IEnumerable<FunctionsMetadataEntry> entries)
    {
        var violations = new List<string>();
        foreach (var entry in entries)
        {
            foreach (var binding in entry.Bindings)
            {
                var type = binding["type"]?.GetValue<string>();
                var direction = binding["direction"]?.GetValue<string>();
                if (type == "httpTrigger" && binding["authLevel"]?.GetValue<string>() != "Anonymous")
                {
                    violations.Add($"{entry.Name}: HTTP trigger with auth level {binding["authLevel"]} (use AuthorizationLevel.Anonymous; the app checks callers itself)");
                }

                var isHttpResponse = type == "http" && binding["name"]?.GetValue<string>() == "$return";
                if (direction is "Out" or "InOut" && !isHttpResponse)
                {
                    violations.Add($"{entry.Name}: output binding '{binding["name"]}' of type {type} (use an explicit SDK client after persisting)");
                }

                if (direction == "In" && !(type?.EndsWith("Trigger", StringComparison.Ordinal) ?? false))
                {
                    violations.Add($"{entry.Name}: input binding '{binding["name"]}' of type {type} (use an explicit SDK client)");
                }
            }
        }

        return violations;
    }
}
