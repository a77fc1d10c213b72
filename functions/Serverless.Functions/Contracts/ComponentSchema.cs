using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Serverless.Functions.Contracts;

/// <summary>
/// The schema of one named type, from System.Text.Json's exporter, with each named type inside it
/// replaced by a reference to that type's own component. The exporter writes a repeated type as a
/// pointer into the schema it is exporting (<c>#/properties/...</c>); such a pointer means nothing once
/// the schema sits under <c>components</c>, so none is left in what this returns.
/// </summary>
internal static class ComponentSchema
{
    /// <summary>The schema of <paramref name="type"/>; the named types it refers to are added to <paramref name="referenced"/>.</summary>
    public static JsonObject Export(Type type, JsonSerializerOptions options, ISet<Type> referenced)
    {
        // Every node the exporter has finished, by the pointer it would use to repeat it.
        var finished = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var schema = options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => AtSite(context, node, options, referenced, finished),
        }).AsObject();

        if (type.IsEnum)
        {
            // The API writes enums as strings (JsonStringEnumConverter); generators want the type to make an enum of it.
            return new JsonObject { ["type"] = "string", ["enum"] = schema["enum"]!.DeepClone() };
        }

        if (FirstRelativePointer(schema) is { } left)
        {
            throw new InvalidOperationException($"The schema of {type.FullName} still holds the exporter's pointer {left}: describe that member with a named type.");
        }

        return schema;
    }

    private static JsonNode AtSite(
        JsonSchemaExporterContext context, JsonNode node, JsonSerializerOptions options, ISet<Type> referenced, Dictionary<string, JsonNode> finished)
    {
        if (context.Path.IsEmpty)
        {
            return node; // the type being exported: its own schema
        }

        var pointer = "#/" + string.Join('/', context.Path.ToArray().Select(segment => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        var nullable = IsNullable(context, node, pointer);
        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        JsonNode result;
        if (SchemaNames.IsComponent(type, options))
        {
            referenced.Add(type);
            result = Reference(type, nullable, node);
        }
        else if (RelativePointer(node) is { } repeated)
        {
            // A list or dictionary met before: the exporter points at the first one. Not finished yet means the first
            // one encloses this site (a type that contains itself), and that enclosing type is itself replaced by a
            // reference, so this node is dropped with it; Export checks that nothing of the kind is left.
            if (!finished.TryGetValue(repeated, out var first))
            {
                return node;
            }

            result = AtThisSite(first.DeepClone().AsObject(), nullable, node);
        }
        else
        {
            result = node;
        }

        finished[pointer] = result;
        return result;
    }

    /// <summary><c>{"$ref"}</c>, or <c>anyOf</c> the reference and null where the member may be null.</summary>
    private static JsonObject Reference(Type type, bool nullable, JsonNode site)
    {
        var reference = new JsonObject { ["$ref"] = SchemaNames.Pointer(SchemaNames.For(type)) };
        var result = nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
        CopyDefault(site, result);
        return result;
    }

    /// <summary>A copy of an earlier list or dictionary, with this member's own nullability and default.</summary>
    private static JsonObject AtThisSite(JsonObject copy, bool nullable, JsonNode site)
    {
        copy.Remove("default");
        CopyDefault(site, copy);
        var types = copy["type"] switch
        {
            JsonArray array => array.Select(value => value!.GetValue<string>()).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => null,
        };
        if (types is not null)
        {
            types.Remove("null");
            copy["type"] = nullable ? new JsonArray([.. types.Append("null").Select(name => (JsonNode)name)]) : types.Single();
        }

        return copy;
    }

    private static void CopyDefault(JsonNode site, JsonObject target)
    {
        if (site is JsonObject members && members.TryGetPropertyValue("default", out var value))
        {
            target["default"] = value?.DeepClone();
        }
    }

    /// <summary>
    /// Whether the member may be null. A repeated node carries no nullability of its own, so it is worked out from the
    /// member as the exporter does; where the exporter wrote a type, both must agree, or a repeated one could be wrong.
    /// </summary>
    private static bool IsNullable(JsonSchemaExporterContext context, JsonNode node, string pointer)
    {
        var type = context.TypeInfo.Type;
        var fromMember = Nullable.GetUnderlyingType(type) is not null
            || (!type.IsValueType && context.PropertyInfo is { } property && (property.IsGetNullable || property.IsSetNullable));
        var members = node as JsonObject;
        bool? fromExporter = (members?["type"], members?["enum"]) switch
        {
            (JsonArray types, _) => types.Any(name => name?.GetValue<string>() == "null"),
            (JsonValue, _) => false,
            (_, JsonArray values) => values.Any(value => value is null),
            _ => null,
        };

        return fromExporter is { } exporter && exporter != fromMember
            ? throw new InvalidOperationException($"At {pointer} ({type.FullName}) the exporter says nullable: {exporter}, the member says {fromMember}.")
            : fromMember;
    }

    private static string? RelativePointer(JsonNode node)
        => node is JsonObject members && members["$ref"] is JsonValue reference && reference.GetValue<string>() is var target
            && target.StartsWith('#') && !target.StartsWith("#/components/", StringComparison.Ordinal)
                ? target
                : null;

    private static string? FirstRelativePointer(JsonNode? node) => node switch
    {
        JsonObject members => RelativePointer(members) ?? members.Select(pair => FirstRelativePointer(pair.Value)).FirstOrDefault(found => found is not null),
        JsonArray items => items.Select(FirstRelativePointer).FirstOrDefault(found => found is not null),
        _ => null,
    };
}
