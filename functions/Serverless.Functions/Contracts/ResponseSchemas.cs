using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Functions.Contracts;

/// <summary>
/// Reshapes a schema to what responses really contain. <see cref="Http.ApiJson"/> leaves null properties
/// out, so a nullable property is optional and never null; and a response may gain fields later
/// (problem details are extensible by RFC 9457), so clients must not be told to refuse unknown ones.
/// </summary>
internal static class ResponseSchemas
{
    public static void AsWritten(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject schema:
                foreach (var child in schema.Select(pair => pair.Value).ToList())
                {
                    AsWritten(child);
                }

                if (schema["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False)
                {
                    schema.Remove("additionalProperties");
                }

                if (schema["properties"] is JsonObject properties)
                {
                    var leftOutWhenNull = properties.Where(property => WithoutNull(property.Value)).Select(property => property.Key).ToHashSet(StringComparer.Ordinal);
                    if (schema["required"] is JsonArray required)
                    {
                        foreach (var name in required.Where(name => leftOutWhenNull.Contains(name!.GetValue<string>())).ToList())
                        {
                            required.Remove(name);
                        }

                        if (required.Count == 0)
                        {
                            schema.Remove("required");
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.ToList())
                {
                    AsWritten(item);
                }

                break;
        }
    }

    /// <summary>Whether a property's schema allows null (as a type, or as a nullable named type).</summary>
    public static bool IsNullable(JsonNode? property)
        => property is JsonObject schema
            && ((schema["type"] is JsonArray types && types.Any(type => type?.GetValue<string>() == "null"))
                || (schema["anyOf"] is JsonArray alternatives && alternatives.Any(IsNullAlternative)));

    /// <summary>Drops null from a property's schema (and a null default); true when it was nullable.</summary>
    private static bool WithoutNull(JsonNode? property)
    {
        if (property is not JsonObject schema)
        {
            return false;
        }

        var nullable = WithoutNullType(schema) || WithoutNullAlternative(schema);
        if (nullable && schema.TryGetPropertyValue("default", out var defaultValue) && defaultValue is null)
        {
            schema.Remove("default");
        }

        return nullable;
    }

    /// <summary><c>"type": ["string", "null"]</c> → <c>"type": "string"</c>.</summary>
    private static bool WithoutNullType(JsonObject schema)
    {
        if (schema["type"] is not JsonArray types || types.FirstOrDefault(type => type?.GetValue<string>() == "null") is not { } nullType)
        {
            return false;
        }

        types.Remove(nullType);
        if (types.Count == 1)
        {
            schema["type"] = types[0]!.GetValue<string>();
        }

        if (schema["enum"] is JsonArray values && values.Any(value => value is null))
        {
            foreach (var value in values.Where(value => value is null).ToList())
            {
                values.Remove(value);
            }
        }

        return true;
    }

    /// <summary><c>"anyOf": [{"$ref": ...}, {"type": "null"}]</c> (a nullable named type) → the reference alone.</summary>
    private static bool WithoutNullAlternative(JsonObject schema)
    {
        if (schema["anyOf"] is not JsonArray alternatives
            || alternatives.FirstOrDefault(IsNullAlternative) is not { } nullAlternative)
        {
            return false;
        }

        alternatives.Remove(nullAlternative);
        if (alternatives is [JsonObject only])
        {
            schema.Remove("anyOf");
            foreach (var (name, value) in only.ToList())
            {
                schema[name] = value?.DeepClone();
            }
        }

        return true;
    }

    private static bool IsNullAlternative(JsonNode? alternative)
        => alternative is JsonObject { Count: 1 } schema && schema["type"] is JsonValue type && type.GetValue<string>() == "null";
}
