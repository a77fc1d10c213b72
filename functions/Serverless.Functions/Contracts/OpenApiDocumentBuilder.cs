using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.Functions.Contracts;

/// <summary>
/// Describes every HTTP function of this assembly as OpenAPI 3.1, from the same attributes the
/// Functions host reads (route, methods) plus <see cref="ApiOperationAttribute"/> and friends; schemas
/// come from the C# types through System.Text.Json's schema exporter, with the API's own JSON options,
/// one named component per type (<see cref="SchemaComponents"/>).
/// Output is deterministic so the checked-in copy can be diffed in CI.
/// Request schemas say what the API accepts (unknown fields refused); response schemas say what it
/// writes: a null property is left out, so it is optional and never null, and new fields may appear.
/// </summary>
public static partial class OpenApiDocumentBuilder
{
    /// <summary>
    /// The API writes numbers as numbers; reading also takes numeric strings (web defaults), a leniency
    /// the document does not promise, so schemas say "integer" rather than "string or integer".
    /// </summary>
    internal static readonly JsonSerializerOptions SchemaOptions = CreateSchemaOptions();

    /// <summary>The document for this app's functions.</summary>
    public static string Build() => Build(typeof(OpenApiDocumentBuilder).Assembly);

    /// <summary>The document for the HTTP functions of <paramref name="assembly"/> (tests pass their own).</summary>
    public static string Build(Assembly assembly)
    {
        var schemas = new SchemaComponents(SchemaOptions);
        var problem = schemas.Reference(typeof(ProblemBody), request: false);
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);

        foreach (var (function, method, trigger) in HttpFunctions(assembly))
        {
            var operation = method.GetCustomAttribute<ApiOperationAttribute>()
                ?? throw new InvalidOperationException($"HTTP function {function} has no [ApiOperation]: every endpoint is documented.");
            var verbs = trigger.Methods is { Length: > 0 } declared
                ? declared
                : throw new InvalidOperationException($"HTTP function {function} names no methods: the Functions host would accept every method, which the document cannot describe.");
            var route = trigger.Route ?? function;
            var path = "/" + RouteConstraint().Replace(route, "{$1}");
            var catchAll = CatchAllParameter().Matches(route).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            var item = paths.TryGetValue(path, out var existing) ? existing : paths[path] = [];

            foreach (var verb in verbs)
            {
                // operationId must be unique in the document; a function serving several methods gets one per method.
                var operationId = verbs.Length == 1 ? function : function + char.ToUpperInvariant(verb[0]) + verb[1..].ToLowerInvariant();
                item[verb.ToLowerInvariant()] = Operation(operationId, method, operation, path, catchAll, schemas, problem);
            }
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Case-sharing API for child-protection councils",
                ["version"] = "1",
                ["description"] = "Errors are RFC 9457 problem details with a stable code (see x-problem-codes); messages are Japanese unless Accept-Language prefers English. Every response carries Cache-Control: no-store.",
            },
            // Each municipality runs its own copy; every path already starts with /api, so the server is the host itself.
            ["servers"] = new JsonArray(new JsonObject
            {
                ["url"] = "/",
                ["description"] = "The host of the municipality's own deployment (locally http://127.0.0.1:7071).",
            }),
            ["paths"] = ToObject(paths.ToDictionary(pair => pair.Key, pair => (JsonNode)pair.Value)),
            ["components"] = new JsonObject
            {
                ["schemas"] = WithFileUploadForm(schemas.Build()),
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "JWT",
                        ["description"] = "A person: an OpenID Connect access token of a configured issuer (the municipality's Entra ID tenant). X-Membership-Id picks the membership when several are valid.",
                    },
                    ["submissionKey"] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "header",
                        ["name"] = "Authorization",
                        ["description"] = "An agency form's server: 'SubmissionKey sk_...'. Never in a URL, never in a web page.",
                    },
                },
            },
            ["x-problem-codes"] = new JsonArray(ProblemCatalogue.All.Select(code => (JsonNode)new JsonObject
            {
                ["code"] = code.Code,
                ["status"] = code.Status,
                ["type"] = Problem.TypeUri(code),
                ["title"] = new JsonObject { ["ja"] = code.TitleJa, ["en"] = code.TitleEn },
                ["detail"] = new JsonObject { ["ja"] = code.DetailJa, ["en"] = code.DetailEn },
            }).ToArray()),
        };

        // The document is only ever read as JSON (never embedded in HTML), so "+" and "'" need no escaping.
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Every HTTP-triggered function in this assembly, sorted by name.</summary>
    public static IEnumerable<(string Function, MethodInfo Method, HttpTriggerAttribute Trigger)> HttpFunctions()
        => HttpFunctions(typeof(OpenApiDocumentBuilder).Assembly);

    /// <summary>Every HTTP-triggered function in <paramref name="assembly"/>, sorted by name.</summary>
    public static IEnumerable<(string Function, MethodInfo Method, HttpTriggerAttribute Trigger)> HttpFunctions(Assembly assembly)
        => assembly.GetTypes()
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

    private static JsonObject Operation(
        string operationId, MethodInfo method, ApiOperationAttribute operation, string path, IReadOnlySet<string> catchAll, SchemaComponents schemas, JsonObject problemReference)
    {
        var result = new JsonObject
        {
            ["operationId"] = operationId,
            ["summary"] = operation.Summary,
            ["tags"] = new JsonArray(operation.Tag),
        };
        if (operation.Access.Length > 0)
        {
            result["x-access"] = operation.Access;
        }

        // An operation for callers accepts either credential (what each may then do is in x-access); any other
        // operation asks for none, and says so: an operation without "security" would leave readers guessing.
        result["security"] = method.GetCustomAttribute<ApiProblemsAttribute>()?.Codes.Contains(ProblemCatalogue.Unauthenticated.Code) == true
            ? new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }, new JsonObject { ["submissionKey"] = new JsonArray() })
            : new JsonArray();

        var parameters = PathParameter().Matches(path).Select(match => (JsonNode)DescribePathParameter(match.Groups[1].Value, catchAll))
            .Concat(method.GetCustomAttributes<ApiQueryAttribute>().Select(query => (JsonNode)new JsonObject
            {
                ["name"] = query.Name,
                ["in"] = "query",
                ["required"] = false,
                ["description"] = query.Description,
                ["schema"] = new JsonObject { ["type"] = "string" },
            }))
            .Concat(method.GetCustomAttributes<ApiHeaderAttribute>().Select(header => (JsonNode)new JsonObject
            {
                ["name"] = header.Name,
                ["in"] = "header",
                ["required"] = false,
                ["description"] = header.Description,
                ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = header.MaxLength },
            }))
            .ToArray();
        if (parameters.Length > 0)
        {
            result["parameters"] = new JsonArray(parameters);
        }

        if (operation.RequestBody is { } requestType)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schemas.Reference(requestType, request: true) } },
            };
        }

        if (operation.FileUpload)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject
                {
                    ["application/octet-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } },
                    ["multipart/form-data"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = SchemaNames.Pointer(FileUploadForm) } },
                },
            };
        }

        if (operation.BinaryBody)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject
                {
                    ["application/octet-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } },
                },
            };
        }

        var responses = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var response in method.GetCustomAttributes<ApiResponseAttribute>())
        {
            var status = response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (response.Status is >= 300 and < 400)
            {
                // A redirect has no body: its Location header is the answer.
                responses[status] = new JsonObject
                {
                    ["description"] = "Redirect",
                    ["headers"] = new JsonObject { ["Location"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
                };
                continue;
            }

            // One status may come in several media types (an export as xlsx or CSV): each is one entry of its content.
            var content = responses.TryGetValue(status, out var listed) ? listed["content"]!.AsObject() : new JsonObject();
            content[response.ContentType] = response.Body is not null ? new JsonObject { ["schema"] = schemas.Reference(response.Body, request: false) }
                : response.ContentType.StartsWith("application/json", StringComparison.Ordinal) ? new JsonObject()
                : new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } };
            responses[status] = listed ?? new JsonObject
            {
                ["description"] = response.Body?.Name ?? "OK",
                ["content"] = content,
            };
        }

        // HttpEndpoint can answer any operation with these three (a key in the URL is refused on every route), so every
        // operation documents them; and an operation for callers can refuse a caller in each of the ways authentication can.
        var declared = method.GetCustomAttribute<ApiProblemsAttribute>()?.Codes ?? [];
        var problemCodes = declared
            .Concat([ProblemCatalogue.InternalError.Code, ProblemCatalogue.StorageUnavailable.Code, ProblemCatalogue.KeyInUrl.Code])
            .Concat(declared.Contains(ProblemCatalogue.Unauthenticated.Code) ? SignInProblems : [])
            .Distinct(StringComparer.Ordinal);
        foreach (var group in problemCodes.Select(Find).GroupBy(code => code.Status))
        {
            var status = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var codes = group.Select(code => code.Code).Order(StringComparer.Ordinal).ToList();
            var problem = new JsonObject { ["schema"] = problemReference.DeepClone() };
            if (responses.TryGetValue(status, out var existing))
            {
                // The same status also has a documented body (health's 503 report): both shapes are possible.
                existing["content"]!["application/problem+json"] = problem;
                existing["description"] = existing["description"]!.GetValue<string>() + ", or problem: " + string.Join(", ", codes);
                existing["x-problem-codes"] = new JsonArray(codes.Select(code => (JsonNode)code).ToArray());
                continue;
            }

            responses[status] = new JsonObject
            {
                ["description"] = "Problem: " + string.Join(", ", codes),
                ["content"] = new JsonObject { ["application/problem+json"] = problem },
                ["x-problem-codes"] = new JsonArray(codes.Select(code => (JsonNode)code).ToArray()),
            };
        }

        result["responses"] = ToObject(responses);
        return result;
    }

    /// <summary>What <c>CallerAuthentication</c> answers besides 401.</summary>
    private static readonly string[] SignInProblems =
    [
        ProblemCatalogue.NotRegistered.Code,
        ProblemCatalogue.IssuerMismatch.Code,
        ProblemCatalogue.NoActiveMembership.Code,
        ProblemCatalogue.MembershipRequired.Code,
        ProblemCatalogue.UnknownMembership.Code,
        ProblemCatalogue.TooManyAttempts.Code,
    ];

    private static ProblemCode Find(string code)
        => ProblemCatalogue.All.SingleOrDefault(known => known.Code == code)
            ?? throw new InvalidOperationException($"[ApiProblems] names {code}, which is not in the problem catalogue.");

    private static JsonObject DescribePathParameter(string name, IReadOnlySet<string> catchAll)
    {
        var parameter = new JsonObject
        {
            ["name"] = name,
            ["in"] = "path",
            ["required"] = true,
        };
        if (catchAll.Contains(name))
        {
            parameter["description"] = "The rest of the URL, which may contain '/'. Only URLs that no other path serves reach this operation.";
        }

        parameter["schema"] = new JsonObject { ["type"] = "string" };
        return parameter;
    }

    private static JsonSerializerOptions CreateSchemaOptions()
    {
        var options = new JsonSerializerOptions(ApiJson.Options) { NumberHandling = JsonNumberHandling.Strict };
        options.MakeReadOnly();
        return options;
    }

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
    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();

    /// <summary><c>{*path}</c>: a parameter that takes the rest of the URL, slashes included.</summary>
    [GeneratedRegex(@"\{\*{1,2}([A-Za-z0-9_]+)")]
    private static partial Regex CatchAllParameter();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PathParameter();

    /// <summary>The multipart form an upload may send: one part named <c>file</c> (no C# type describes a binary part).</summary>
    private const string FileUploadForm = "FileUploadForm";

    private static JsonObject WithFileUploadForm(JsonObject schemas)
    {
        var sorted = new JsonObject();
        foreach (var (name, schema) in schemas.Append(new(FileUploadForm, new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("file"),
            ["properties"] = new JsonObject { ["file"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } },
        })).OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList())
        {
            sorted[name] = schema?.DeepClone();
        }

        return sorted;
    }
}
