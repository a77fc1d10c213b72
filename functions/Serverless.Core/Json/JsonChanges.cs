using System.Text.Json.Nodes;

namespace Serverless.Json;

/// <summary>The paths at which two JSON documents differ (<c>$.child.name.family</c>); an array that
/// changed at all is one path. Used to say what each version changed without repeating values.</summary>
public static class JsonChanges
{
    public static IReadOnlyList<string> Paths(JsonNode? before, JsonNode? after)
    {
        var paths = new List<string>();
        Collect("$", before, after, paths);
        return paths;
    }

    private static void Collect(string path, JsonNode? before, JsonNode? after, List<string> paths)
    {
        if (before is JsonObject beforeObject && after is JsonObject afterObject)
        {
            var names = beforeObject.Select(pair => pair.Key).Union(afterObject.Select(pair => pair.Key)).Order(StringComparer.Ordinal);
            foreach (var name in names)
            {
                Collect(path + "." + name, beforeObject[name], afterObject[name], paths);
            }

            return;
        }

        if (!JsonNode.DeepEquals(before, after))
        {
            paths.Add(path);
        }
    }
}
