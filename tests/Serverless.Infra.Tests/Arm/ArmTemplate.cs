using System.Text.Json.Nodes;

namespace Serverless.Infra.Tests.Arm;

/// <summary>
/// A compiled ARM template with every resource flattened out of its module deployments
/// (<c>Microsoft.Resources/deployments</c> → <c>properties.template.resources</c>), so a test can
/// find "the storage account" wherever Bicep put it. See <see cref="ArmResource"/> for how
/// parameter and variable references are resolved.
/// </summary>
public sealed class ArmTemplate
{
    private ArmTemplate(JsonObject root)
    {
        Root = root;
        var resources = new List<ArmResource>();
        Collect(new ArmScope(root, Deployment: null), resources);
        Resources = resources;
    }

    public JsonObject Root { get; }

    /// <summary>Every resource at every depth, module deployments included, in template order.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("The template is not a JSON object.", nameof(json)));

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one resource of a type; fails the test if there are none or several.</summary>
    public ArmResource Single(string type)
    {
        var matches = OfType(type).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected exactly one {type}, found {matches.Count}.");
    }

    /// <summary>The module deployment with this name (the <c>name:</c> of a Bicep <c>module</c>).</summary>
    public ArmResource Module(string name) =>
        OfType("Microsoft.Resources/deployments").SingleOrDefault(resource => resource.Json["name"]?.GetValue<string>() == name)
        ?? throw new InvalidOperationException($"No module deployment named {name}.");

    /// <summary>A parameter declaration of the top-level template.</summary>
    public JsonObject Parameter(string name) =>
        Root["parameters"]?[name] as JsonObject ?? throw new InvalidOperationException($"main.bicep declares no parameter {name}.");

    public JsonObject Outputs => Root["outputs"] as JsonObject ?? [];

    private static void Collect(ArmScope scope, List<ArmResource> into)
    {
        foreach (var json in Enumerate(scope.Template["resources"]))
        {
            var resource = new ArmResource(json, scope);
            into.Add(resource);
            if (resource.IsDeployment && json["properties"]?["template"] is JsonObject nested)
            {
                Collect(new ArmScope(nested, resource), into);
            }
        }
    }

    // Bicep writes an array, or (languageVersion 2.0) an object keyed by symbolic name.
    private static IEnumerable<JsonObject> Enumerate(JsonNode? resources) => resources switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject keyed => keyed.Select(pair => pair.Value).OfType<JsonObject>(),
        _ => [],
    };
}

/// <summary>A template and the module deployment that contains it (null at the top level).</summary>
public sealed record ArmScope(JsonObject Template, ArmResource? Deployment)
{
    public ArmScope? Parent => Deployment?.Scope;
}
