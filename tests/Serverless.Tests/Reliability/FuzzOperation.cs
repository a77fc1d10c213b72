using System.Text.Json.Nodes;

namespace Serverless.Tests.Reliability;

/// <summary>One operation of the served OpenAPI document: what the fuzzer needs to build requests to it.</summary>
internal sealed record FuzzOperation(string Id, HttpMethod Method, string Path, IReadOnlyList<FuzzParameter> Parameters, JsonObject? BodySchema, IReadOnlyList<string> BodyMediaTypes)
{
    private static readonly string[] Methods = ["get", "put", "post", "patch", "delete"];

    public IEnumerable<FuzzParameter> In(string location) => Parameters.Where(parameter => parameter.In == location);

    /// <summary>Every operation of <paramref name="document"/>, with body schemas and parameters' <c>$ref</c>s resolved.</summary>
    public static IReadOnlyList<FuzzOperation> All(JsonNode document)
    {
        var operations = new List<FuzzOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var method in Methods)
            {
                if (item![method] is not JsonObject operation)
                {
                    continue;
                }

                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(parameter => Resolve(document, parameter!).AsObject())
                    .Select(parameter => new FuzzParameter(
                        parameter["name"]!.GetValue<string>(),
                        parameter["in"]!.GetValue<string>(),
                        parameter["schema"] is JsonNode schema ? Resolve(document, schema) as JsonObject : null))
                    .ToList();
                var content = operation["requestBody"] is JsonNode requestBody ? Resolve(document, requestBody)["content"]?.AsObject() : null;
                var mediaTypes = content?.Select(pair => pair.Key).ToList() ?? [];
                var bodySchema = content?.Select(pair => pair.Value?["schema"]).FirstOrDefault(schema => schema is not null) is JsonNode found
                    ? Resolve(document, found) as JsonObject
                    : null;
                operations.Add(new FuzzOperation(operation["operationId"]!.GetValue<string>(), new HttpMethod(method.ToUpperInvariant()), path, parameters, bodySchema, mediaTypes));
            }
        }

        return operations;
    }

    /// <summary>The property names a body schema declares at its top level (through <c>allOf</c> too).</summary>
    public IReadOnlyList<string> BodyProperties()
    {
        if (BodySchema is null)
        {
            return [];
        }

        var names = new List<string>();
        if (BodySchema["properties"] is JsonObject properties)
        {
            names.AddRange(properties.Select(pair => pair.Key));
        }

        return names;
    }

    private static JsonNode Resolve(JsonNode document, JsonNode node)
    {
        var seen = 0;
        while (node is JsonObject reference && reference["$ref"] is JsonValue target && seen++ < 16)
        {
            var resolved = document;
            foreach (var segment in target.GetValue<string>().TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                resolved = resolved[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]!;
            }

            node = resolved;
        }

        return node;
    }
}

/// <summary>A parameter of an operation: where it goes (<c>path</c>, <c>query</c>, <c>header</c>) and its schema.</summary>
internal sealed record FuzzParameter(string Name, string In, JsonObject? Schema);
