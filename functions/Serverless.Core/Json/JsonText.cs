using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serverless.Json;

/// <summary>
/// Finds text in a <see cref="JsonNode"/> that is not Unicode: a lone surrogate escape (<c>"\ud800"</c>) is valid
/// JSON syntax, but no UTF-8 can hold it. A typed member refuses it while the body is read; a <see cref="JsonObject"/>
/// member (a case's <c>changes</c>) keeps the raw text and throws only when a name or value is first read, deep in
/// the service (a 500). Checking the whole node first turns that into a refusal that names where.
/// </summary>
public static class JsonText
{
    /// <summary>The path of the first name or string value that is not text (a broken name gives its object's
    /// path), or null when all of it is text.</summary>
    public static string? FirstBrokenPath(JsonNode? node, string path = "$")
    {
        switch (node)
        {
            case JsonObject members:
                List<KeyValuePair<string, JsonNode?>> pairs;
                try
                {
                    pairs = [.. members];
                }
                catch (InvalidOperationException)
                {
                    return path; // a name that is not text; it cannot be quoted in the path either
                }

                foreach (var (name, child) in pairs)
                {
                    if (!IsText(name))
                    {
                        return path;
                    }

                    if (FirstBrokenPath(child, path + Segment(name)) is { } broken)
                    {
                        return broken;
                    }
                }

                return null;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    if (FirstBrokenPath(items[i], path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]") is { } broken)
                    {
                        return broken;
                    }
                }

                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    return !value.TryGetValue<string>(out var text) || IsText(text) ? null : path;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }

            default:
                return null;
        }
    }

    /// <summary>Every surrogate in a pair, high then low.</summary>
    private static bool IsText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>As System.Text.Json writes paths: <c>.name</c>, or <c>['name']</c> when a dotted path cannot hold the name.</summary>
    private static string Segment(string name)
        => name.AsSpan().IndexOfAny(".'/\"[]() \t\n\r\f\b\\\u0085\u2028\u2029") < 0 && name.Length > 0
            ? "." + name
            : "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";
}
