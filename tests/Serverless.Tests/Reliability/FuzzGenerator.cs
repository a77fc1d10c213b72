using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Tests.Identity;

namespace Serverless.Tests.Reliability;

/// <summary>
/// Breaks an operation's valid request one way at a time, every choice drawn from one seeded <see cref="Random"/>, so
/// the same seed makes the same requests in the same order.
/// </summary>
internal sealed class FuzzGenerator(Random random, MatrixWorld world)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] BodyMutations = ["field-value", "field-value", "field-value", "field-missing", "field-extra", "body-type", "malformed-json", "content-type", "huge"];
    private static readonly string[] OtherMutations = ["as-is", "path-id", "query", "header", "unexpected-body"];

    private readonly Dictionary<string, string> raw = new(StringComparer.Ordinal);

    public FuzzedRequest Next(FuzzOperation operation, FuzzBase valid)
    {
        raw.Clear();
        var hasBody = valid.Body is not null || operation.BodySchema is not null;
        var mutation = hasBody && random.Next(3) > 0 ? Pick(BodyMutations) : Pick(OtherMutations);
        var route = new Dictionary<string, string>(valid.Route, StringComparer.Ordinal);
        var query = valid.Query;
        var headers = new Dictionary<string, string>(valid.Headers, StringComparer.OrdinalIgnoreCase);
        var body = valid.Body?.DeepClone() ?? (operation.BodySchema is not null ? new JsonObject() : null);
        byte[]? bytes = null;
        var contentType = body is null ? null : "application/json";
        switch (mutation)
        {
            case "field-value":
                body = SetField(body!, operation, Value());
                break;
            case "field-missing":
                body = RemoveField(body!);
                break;
            case "field-extra":
                body = SetExtra(body!);
                break;
            case "body-type":
                body = Value();
                break;
            case "malformed-json":
                bytes = Pick(FuzzValues.MalformedBodies);
                break;
            case "content-type":
                contentType = Pick(FuzzValues.ContentTypes);
                break;
            case "huge":
                body = random.Next(2) == 0
                    ? SetField(body!, operation, JsonValue.Create(new string('ア', random.Next(1_000_000, 3_000_000))))
                    : SetField(body!, operation, new JsonArray(Enumerable.Range(0, random.Next(10_000, 200_000)).Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()));
                break;
            case "path-id" when route.Count > 0:
                route[Pick(route.Keys.ToArray())] = "\u0001" + Pick(FuzzValues.PathSegments);
                break;
            case "query":
                query = Query(operation, query);
                break;
            case "header":
                var names = operation.In("header").Select(parameter => parameter.Name).Concat(["If-Match", "Idempotency-Key", "Accept-Language", "X-Forwarded-For"]).ToArray();
                headers[Pick(names)] = Pick(FuzzValues.HeaderValues);
                break;
            case "unexpected-body":
                bytes = Encoding.UTF8.GetBytes(Text(Value()));
                contentType = "application/json";
                break;
        }

        var (callerName, authorization) = Caller(valid.Caller);
        bytes ??= body is null ? null : Encoding.UTF8.GetBytes(Text(body));
        return new FuzzedRequest(mutation, operation.Method, Path(operation, route) + query, callerName, authorization, headers, bytes, contentType);
    }

    private (string Name, string? Authorization) Caller(MatrixCaller allowed)
    {
        var roll = random.Next(100);
        if (roll < 80)
        {
            return (allowed.ToString(), world.Authorization(allowed));
        }

        if (roll < 88)
        {
            return ("Anonymous", null);
        }

        if (roll < 95)
        {
            var other = Pick(AuthorizationMatrix.Callers.ToArray());
            return (other.ToString(), world.Authorization(other));
        }

        return ("garbage", Pick(FuzzValues.Authorizations));
    }

    private static string Path(FuzzOperation operation, IReadOnlyDictionary<string, string> route)
    {
        var path = operation.Path;
        foreach (var parameter in operation.In("path"))
        {
            var value = route.GetValueOrDefault(parameter.Name, "x");

            // A value marked \u0001 is hostile and already as it goes on the wire; any other is escaped as a client would.
            var wire = value.StartsWith('\u0001') ? value[1..] : Uri.EscapeDataString(value);
            path = path.Replace("{" + parameter.Name + "}", wire, StringComparison.Ordinal);
        }

        return path;
    }

    private string Query(FuzzOperation operation, string query)
    {
        var declared = operation.In("query").Select(parameter => parameter.Name).ToArray();
        var name = declared.Length > 0 && random.Next(4) > 0 ? Pick(declared) : Pick(["unknown", "pageSize", "$filter", "continuationToken", "x"]);
        var separator = query.Length == 0 ? "?" : "&";
        return query + separator + Uri.EscapeDataString(name) + "=" + Pick(FuzzValues.QueryValues) + (random.Next(5) == 0 ? $"&{Uri.EscapeDataString(name)}=1" : "");
    }

    /// <summary>A hostile value of any JSON type: strings, numbers, literals, containers, and raw JSON text.</summary>
    private JsonNode? Value()
    {
        switch (random.Next(10))
        {
            case < 4:
                return JsonValue.Create(Pick(FuzzValues.Strings));
            case < 6:
                return Pick(FuzzValues.Numbers).DeepClone();
            case 6:
                return random.Next(3) switch { 0 => null, 1 => JsonValue.Create(true), _ => JsonValue.Create(false) };
            case 7:
                return random.Next(2) == 0 ? new JsonArray(JsonValue.Create(Pick(FuzzValues.Strings)), null, JsonValue.Create(1)) : new JsonObject { [Pick(FuzzValues.Strings)] = JsonValue.Create(Pick(FuzzValues.Strings)) };
            default:
                var token = $"@@raw{raw.Count}@@";
                raw[token] = Pick(FuzzValues.RawJson);
                return JsonValue.Create(token);
        }
    }

    /// <summary>Replaces one field: a declared top-level property, or any property at any depth of the valid body.</summary>
    private JsonNode? SetField(JsonNode body, FuzzOperation operation, JsonNode? value)
    {
        if (body is not JsonObject root)
        {
            return value;
        }

        var declared = operation.BodyProperties();
        var objects = Objects(root).ToList();
        if (declared.Count > 0 && random.Next(2) == 0)
        {
            root[Pick(declared.ToArray())] = value;
            return root;
        }

        var target = Pick(objects.ToArray());
        var keys = target.Select(pair => pair.Key).ToArray();
        target[keys.Length > 0 ? Pick(keys) : "value"] = value;
        return root;
    }

    private JsonNode? RemoveField(JsonNode body)
    {
        if (body is not JsonObject root)
        {
            return null;
        }

        var withKeys = Objects(root).Where(node => node.Count > 0).ToArray();
        if (withKeys.Length > 0)
        {
            var target = Pick(withKeys);
            target.Remove(Pick(target.Select(pair => pair.Key).ToArray()));
        }

        return root;
    }

    private JsonNode? SetExtra(JsonNode body)
    {
        if (body is not JsonObject root)
        {
            return body;
        }

        var target = Pick(Objects(root).ToArray());
        var name = Pick(["extra", "__proto__", "PartitionKey", "RowKey", "etag", "id", "caseId", "agencyId", "Timestamp", "odata.etag", "", "名前", "\u0000"]);
        target[name] = Value();
        return root;
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var (_, child) in obj)
                {
                    foreach (var nested in Objects(child))
                    {
                        yield return nested;
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var nested in Objects(child))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    private string Text(JsonNode? node)
    {
        var text = node is null ? "null" : node.ToJsonString(Relaxed);
        foreach (var (token, json) in raw)
        {
            text = text.Replace("\"" + token + "\"", json, StringComparison.Ordinal);
        }

        return text;
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
