using System.Text.Json;

namespace Serverless.Functions.Http;

/// <summary>
/// Finds a property named twice in one JSON object, anywhere in a body. Left alone, the serializer keeps the
/// last value (so a gateway that checked the first is fooled) and a <c>JsonObject</c> member such as a case's
/// <c>changes</c> throws an exception naming the key. <c>JsonSerializerOptions.AllowDuplicateProperties</c>
/// (.NET 10) covers typed members only, not the members of a <c>JsonObject</c>, hence this one pass over the
/// bytes before deserializing. Names are compared ignoring case, as the API binds them.
/// </summary>
public static class JsonDuplicates
{
    /// <summary>The JSON path of the first repeated property (<c>$.changes.child.name</c>), or null when
    /// there is none or the body is not JSON, names included that are not text (the serializer then says where it is broken).</summary>
    public static string? FirstDuplicatePath(ReadOnlySpan<byte> json)
    {
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var frame = frames[^1];
                        var name = reader.GetString()!;
                        frame.Segment = Segment(name);
                        if (!frame.Names!.Add(name))
                        {
                            return "$" + string.Concat(frames.Select(open => open.Segment));
                        }

                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextItem(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        NextItem(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // A name that is not text (a lone surrogate escape, bytes that are not UTF-8): not JSON anyone can
            // read, so the serializer refuses it next, as it refuses such a value (it was a 500 before).
            return null;
        }

        return null;
    }

    /// <summary>A value inside an array moves the array's index on.</summary>
    private static void NextItem(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1] is { Names: null } array)
        {
            array.Index++;
            array.Segment = "[" + array.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
        }
    }

    /// <summary>As System.Text.Json writes paths: <c>.name</c>, or <c>['name']</c> when the name has characters a dotted path cannot hold.</summary>
    private static string Segment(string name)
        => name.AsSpan().IndexOfAny(".'/\"[]() \t\n\r\f\b\\\u0085\u2028\u2029") < 0 && name.Length > 0
            ? "." + name
            : "['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";

    private sealed class Frame(HashSet<string>? names)
    {
        public HashSet<string>? Names { get; } = names;

        public int Index { get; set; } = -1;

        public string Segment { get; set; } = "";
    }
}
