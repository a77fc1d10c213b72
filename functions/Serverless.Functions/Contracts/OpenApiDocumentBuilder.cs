using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.Functions.Contracts;

/// <summary>
/// Describes every HTTP function of this assembly as OpenAPI 3.1, from the same attributes the
/// Functions host reads (route, methods) plus <see cref="ApiOperationAttribute"/> and friends; schemas
/// come from the C# types through System.Text.Json's schema exporter, with the API's own JSON options.
/// Output is deterministic so the checked-in copy can be diffed in CI.
/// </summary>
public static partial class OpenApiDocumentBuilder
{
    public const string RoutePrefix = "api";

    public static string Build()
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);

        foreach (var (function, method, trigger) in HttpFunctions())
        {
            var operation = method.GetCustomAttribute<ApiOperationAttribute>()
                ?? throw new InvalidOperationException($"HTTP function {function} has no [ApiOperation]: every endpoint is documented.");
            var path = "/" + RoutePrefix + "/" + RouteConstraint().Replace(trigger.Route ?? function, "{$1}");
            var item = paths.TryGetValue(path, out var existing) ? existing : paths[path] = [];

            foreach (var verb in trigger.Methods ?? [])
            {
                item[verb.ToLowerInvariant()] = Operation(function, method, operation, path, schemas);
            }
        }

        schemas[nameof(ProblemBody)] = Schema(typeof(ProblemBody));

        var document = new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Case-sharing API for child-protection councils",
                ["version"] = "1",
                ["description"] = "Errors are RFC 9457 problem details with a stable code (see x-problem-codes); messages are Japanese unless Accept-Language prefers English. Every response carries Cache-Control: no-store.",
            },
            ["paths"] = ToObject(paths.ToDictionary(pair => pair.Key, pair => (JsonNode)pair.Value)),
            ["components"] = new JsonObject { ["schemas"] = ToObject(schemas) },
            ["x-problem-codes"] = new JsonArray(ProblemCatalogue.All.Select(code => (JsonNode)new JsonObject
            {
                ["code"] = code.Code,
                ["status"] = code.Status,
                ["type"] = Problem.TypeUri(code),
                ["title"] = new JsonObject { ["ja"] = code.TitleJa, ["en"] = code.TitleEn },
                ["detail"] = new JsonObject { ["ja"] = code.DetailJa, ["en"] = code.DetailEn },
            }).ToArray()),
        };

        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = ApiJson.Options.Encoder }) + "\n";
    }

    /// <summary>Every HTTP-triggered function in this assembly, sorted by name.</summary>
    public static IEnumerable<(string Function, MethodInfo Method, HttpTriggerAttribute Trigger)> HttpFunctions()
        => typeof(OpenApiDocumentBuilder).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(method => (Method: method, Function: method.GetCustomAttribute<FunctionAttribute>()))
            .Where(candidate => candidate.Function is not null)
            .Select(candidate => (
                candidate.Function!.Name,
                candidate.Method,
                Trigger: candidate.Method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null)))
            .Where(candidate => candidate.Trigger is not null)
            .Select(candidate => (candidate.Name, candidate.Method, candidate.Trigger!))
            .OrderBy(candidate => candidate.Name, StringComparer.Ordinal);

    private static JsonObject Operation(string function, MethodInfo method, ApiOperationAttribute operation, string path, IDictionary<string, JsonNode> schemas)
    {
        var result = new JsonObject
        {
            ["operationId"] = function,
            ["summary"] = operation.Summary,
            ["tags"] = new JsonArray(operation.Tag),
        };
        if (operation.Access.Length > 0)
        {
            result["x-access"] = operation.Access;
        }

        var parameters = PathParameter().Matches(path).Select(match => (JsonNode)new JsonObject
        {
            ["name"] = match.Groups[1].Value,
            ["in"] = "path",
            ["required"] = true,
            ["schema"] = new JsonObject { ["type"] = "string" },
        }).ToArray();
        if (parameters.Length > 0)
        {
            result["parameters"] = new JsonArray(parameters);
        }

        if (operation.RequestBody is { } requestType)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(requestType, schemas) } },
            };
        }

        var responses = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var response in method.GetCustomAttributes<ApiResponseAttribute>())
        {
            var content = new JsonObject();
            content[response.ContentType] = response.Body is null ? new JsonObject() : new JsonObject { ["schema"] = Reference(response.Body, schemas) };
            responses[response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = response.Body?.Name ?? "OK",
                ["content"] = content,
            };
        }

        var problemCodes = method.GetCustomAttribute<ApiProblemsAttribute>()?.Codes ?? [];
        foreach (var group in problemCodes.Select(Find).GroupBy(code => code.Status))
        {
            responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = "Problem: " + string.Join(", ", group.Select(code => code.Code).Order(StringComparer.Ordinal)),
                ["content"] = new JsonObject
                {
                    ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/" + nameof(ProblemBody) } },
                },
                ["x-problem-codes"] = new JsonArray(group.Select(code => (JsonNode)code.Code).ToArray()),
            };
        }

        result["responses"] = ToObject(responses);
        return result;
    }

    private static ProblemCode Find(string code)
        => ProblemCatalogue.All.SingleOrDefault(known => known.Code == code)
            ?? throw new InvalidOperationException($"[ApiProblems] names {code}, which is not in the problem catalogue.");

    private static JsonObject Reference(Type type, IDictionary<string, JsonNode> schemas)
    {
        schemas[type.Name] = Schema(type);
        return new JsonObject { ["$ref"] = "#/components/schemas/" + type.Name };
    }

    private static JsonNode Schema(Type type)
        => ApiJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });

    private static JsonObject ToObject(IEnumerable<KeyValuePair<string, JsonNode>> entries)
    {
        var result = new JsonObject();
        foreach (var (key, value) in entries)
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary><c>{caseId:guid}</c> → <c>{caseId}</c>: OpenAPI paths carry no route constraints.</summary>
    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PathParameter();
}
