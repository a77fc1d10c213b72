using System.Text.Json.Nodes;

namespace Serverless.Json;

/// <summary>RFC 7386 JSON Merge Patch: members of the patch replace the target's, <c>null</c> removes
/// one, objects merge recursively, anything else (arrays included) replaces whole.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }
}
