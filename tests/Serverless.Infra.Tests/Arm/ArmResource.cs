using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Serverless.Infra.Tests.Arm;

/// <summary>
/// One resource of a compiled template. <see cref="Raw"/> reads a property as Bicep compiled it;
/// <see cref="Value"/> and <see cref="Text"/> also resolve what can be resolved without Azure:
/// <c>parameters('x')</c> inside a module is replaced by the value the parent passed for it, and
/// <c>variables('x')</c> by the variable's definition, repeatedly up to the top-level template.
/// Top-level parameters stay as written (<c>[parameters('location')]</c>), and so does anything
/// only Azure knows (<c>reference(...)</c>, <c>resourceId(...)</c>). Tests assert on those
/// expressions as compiled: simple, and a weakened template still changes them.
/// </summary>
public sealed partial class ArmResource(JsonObject json, ArmScope scope)
{
    // Objects and arrays come back as JSON text with quotes and apostrophes as written, so a test
    // can look for "[parameters('x')]" in them.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public JsonObject Json { get; } = json;

    public ArmScope Scope { get; } = scope;

    public string Type => Json["type"]?.GetValue<string>() ?? "";

    public bool IsDeployment => string.Equals(Type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase);

    /// <summary>The property at a dotted path (e.g. <c>properties.siteConfig.minTlsVersion</c>), unresolved.</summary>
    public JsonNode? Raw(string path)
    {
        JsonNode? node = Json;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject parent ? parent[segment] : null;
        }

        return node;
    }

    /// <summary>The property at a dotted path, with parameter and variable references resolved.</summary>
    public JsonNode? Value(string path) => Resolve(Raw(path), Scope);

    /// <summary>The resolved property as text: a literal, or an ARM expression such as <c>[parameters('location')]</c>.</summary>
    public string? Text(string path) => Value(path) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => other.ToJsonString(Readable),
    };

    /// <summary>For a module deployment: the resolved value the parent passes for one of its parameters.</summary>
    public JsonNode? ModuleParameter(string name) =>
        IsDeployment ? Resolve(Json["properties"]?["parameters"]?[name]?["value"], Scope) : null;

    /// <summary>For a module deployment: one of its outputs' value expression, resolved inside the module.</summary>
    public string? ModuleOutput(string name)
    {
        if (!IsDeployment || Json["properties"]?["template"] is not JsonObject template)
        {
            return null;
        }

        return Resolve(template["outputs"]?[name]?["value"], new ArmScope(template, this)) is JsonValue value
            && value.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : null;
    }

    public override string ToString() => $"{Type} {Json["name"]}";

    private static JsonNode? Resolve(JsonNode? node, ArmScope scope)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var resolvedObject = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    resolvedObject[key] = Resolve(child, scope);
                }

                return resolvedObject;
            case JsonArray array:
                return new JsonArray([.. array.Select(child => Resolve(child, scope))]);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return ResolveString(value.GetValue<string>(), scope);
            default:
                return node.DeepClone();
        }
    }

    private static JsonNode? ResolveString(string text, ArmScope scope)
    {
        if (!IsExpression(text))
        {
            return JsonValue.Create(text);
        }

        // The whole value is one reference: take the referenced value itself (it may be an object, a number...).
        var whole = WholeReference().Match(text);
        if (whole.Success && Lookup(whole.Groups["kind"].Value, whole.Groups["name"].Value, whole.Groups["path"].Value, scope) is { } referenced)
        {
            return referenced;
        }

        var inlined = Reference().Replace(text[1..^1], match =>
            Lookup(match.Groups["kind"].Value, match.Groups["name"].Value, match.Groups["path"].Value, scope) is { } value
                ? AsExpressionText(value) ?? match.Value
                : match.Value);
        return JsonValue.Create($"[{inlined}]");
    }

    /// <summary>The value a parameter or variable reference stands for, resolved in its own scope; null if unknown here.</summary>
    private static JsonNode? Lookup(string kind, string name, string path, ArmScope scope)
    {
        JsonNode? value;
        ArmScope valueScope;
        if (kind == "variables")
        {
            value = scope.Template["variables"]?[name];
            valueScope = scope;
        }
        else if (scope.Deployment is { } deployment && deployment.Json["properties"]?["parameters"]?[name] is JsonObject passed)
        {
            value = passed["value"];
            valueScope = scope.Parent!;
        }
        else if (scope.Deployment is not null)
        {
            // Not passed by the parent: the module's own default applies.
            value = scope.Template["parameters"]?[name]?["defaultValue"];
            valueScope = scope;
        }
        else
        {
            return null; // A top-level parameter: only known at deployment time.
        }

        if (value is null)
        {
            return null;
        }

        var resolved = Resolve(value, valueScope);
        foreach (var property in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            resolved = resolved is JsonObject obj ? obj[property] : null;
        }

        return resolved?.DeepClone();
    }

    /// <summary>A resolved value written so it can stand inside a larger expression, or null if it cannot.</summary>
    private static string? AsExpressionText(JsonNode value)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        return scalar.GetValueKind() switch
        {
            JsonValueKind.String when IsExpression(scalar.GetValue<string>()) => scalar.GetValue<string>()[1..^1],
            JsonValueKind.String => $"'{scalar.GetValue<string>().Replace("'", "''", StringComparison.Ordinal)}'",
            JsonValueKind.Number => scalar.ToJsonString(),
            _ => null,
        };
    }

    private static bool IsExpression(string text) =>
        text.Length > 1 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    [GeneratedRegex(@"^\[(?<kind>parameters|variables)\('(?<name>[^']+)'\)(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)*)\]$")]
    private static partial Regex WholeReference();

    [GeneratedRegex(@"(?<kind>parameters|variables)\('(?<name>[^']+)'\)(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)*)")]
    private static partial Regex Reference();
}
