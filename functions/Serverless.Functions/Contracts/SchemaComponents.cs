using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Functions.Contracts;

/// <summary>
/// The document's named schemas: each body type, and each record, class or enum inside one, once, under its
/// own name (<see cref="SchemaNames"/>), referred to wherever it appears, so a generated client has one
/// <c>CaseRecord</c> class rather than one per place a case record turns up.
/// A type that any request sends is described as the API accepts it (unknown fields refused, null allowed
/// where the API takes it), wherever it appears: the stricter promise for both directions, and what lets a
/// client send back what it was given. A type only ever received is described as the API writes it
/// (<see cref="ResponseSchemas"/>).
/// </summary>
internal sealed class SchemaComponents(JsonSerializerOptions options)
{
    private readonly HashSet<Type> sentBodies = [];

    private readonly HashSet<Type> receivedBodies = [];

    public JsonObject Reference(Type type, bool request)
    {
        if (!SchemaNames.IsComponent(type, options))
        {
            throw new InvalidOperationException($"{type.FullName} is not a record or class of this app: a body is described by a named type.");
        }

        (request ? sentBodies : receivedBodies).Add(type);
        return new JsonObject { ["$ref"] = SchemaNames.Pointer(SchemaNames.For(type)) };
    }

    /// <summary><c>components.schemas</c>, sorted by name.</summary>
    public JsonObject Build()
    {
        var exported = ExportAll();
        var sent = Reachable(sentBodies, exported);
        var received = Reachable(receivedBodies, exported);
        var names = SchemaNames.Assign(exported.Keys);

        var schemas = new JsonObject();
        foreach (var (type, name) in names.OrderBy(pair => pair.Value, StringComparer.Ordinal))
        {
            var schema = exported[type].Schema;
            if (!sent.Contains(type))
            {
                ResponseSchemas.AsWritten(schema);
            }
            else if (received.Contains(type) && RequiredButNullable(schema) is { } property)
            {
                throw new InvalidOperationException(
                    $"{type.FullName}.{property} must be sent (it is required) but is left out of responses when null: one schema cannot say both. "
                    + "Give it a default, or use a separate type for the response.");
            }

            schemas[name] = schema;
        }

        return schemas;
    }

    /// <summary>Every body type and every named type inside one, each with its schema and the named types it refers to.</summary>
    private Dictionary<Type, (JsonObject Schema, HashSet<Type> Referenced)> ExportAll()
    {
        var exported = new Dictionary<Type, (JsonObject Schema, HashSet<Type> Referenced)>();
        var pending = new Queue<Type>(sentBodies.Union(receivedBodies).OrderBy(type => type.FullName, StringComparer.Ordinal));
        while (pending.TryDequeue(out var type))
        {
            if (exported.ContainsKey(type))
            {
                continue;
            }

            var referenced = new HashSet<Type>();
            exported[type] = (ComponentSchema.Export(type, options, referenced), referenced);
            foreach (var inner in referenced)
            {
                pending.Enqueue(inner);
            }
        }

        return exported;
    }

    /// <summary>A required property that may be null: the API writes no such property at all when it is null.</summary>
    private static string? RequiredButNullable(JsonObject schema)
        => schema["required"] is JsonArray required && schema["properties"] is JsonObject properties
            ? required.Select(name => name!.GetValue<string>()).FirstOrDefault(name => ResponseSchemas.IsNullable(properties[name]))
            : null;

    private static HashSet<Type> Reachable(IEnumerable<Type> roots, Dictionary<Type, (JsonObject Schema, HashSet<Type> Referenced)> exported)
    {
        var reached = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            if (reached.Add(type))
            {
                foreach (var inner in exported[type].Referenced)
                {
                    pending.Push(inner);
                }
            }
        }

        return reached;
    }
}
