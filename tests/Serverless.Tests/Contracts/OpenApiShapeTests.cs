using System.Text.Json.Nodes;
using Serverless.Testing;

namespace Serverless.Tests.Contracts;

/// <summary>
/// What client generators need of the checked-in document, and what redocly.yaml relies on where it turns a
/// rule off: every type a schema uses is a named component, every reference resolves, every operation says
/// which credentials it takes, and only the operations that cannot have them lack a 2xx or a 4xx.
/// </summary>
public sealed class OpenApiShapeTests
{
    private static readonly JsonNode Document = JsonNode.Parse(File.ReadAllText(
        Path.Combine(RepositoryPaths.Root, "functions", "Serverless.Functions", "Contracts", "openapi.json")))!;

    private static JsonObject Schemas => Document["components"]!["schemas"]!.AsObject();

    [Fact]
    public void EveryReferenceNamesASchemaOfTheDocument()
    {
        var references = Nodes(Document, "#").Where(node => node.Value is JsonObject schema && schema.ContainsKey("$ref")).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            var target = reference.Value!["$ref"]!.GetValue<string>();
            Assert.StartsWith("#/components/schemas/", target, StringComparison.Ordinal);
            Assert.True(Schemas.ContainsKey(target["#/components/schemas/".Length..]), $"{reference.Pointer} refers to {target}, which does not exist.");
        });
    }

    [Fact]
    public void EveryObjectAndEveryEnumIsANamedComponentReferredToWhereverItAppears()
    {
        // An object with properties or an enum anywhere but at the top of a component is an inline copy of a type,
        // which generators name after its path (CaseListPage_cases_record_expectantMother_mother_sex).
        var inline = Nodes(Document, "#")
            .Where(node => node.Value is JsonObject schema && (schema.ContainsKey("properties") || schema.ContainsKey("enum")))
            .Select(node => node.Pointer)
            .Where(pointer => !Schemas.Any(schema => pointer == "#/components/schemas/" + schema.Key))
            .ToList();

        Assert.Empty(inline);
    }

    [Theory]
    [InlineData("CaseRecord")]
    [InlineData("PersonName")]
    [InlineData("Person")]
    [InlineData("TimelineEntryView")]
    [InlineData("EntryScope")]
    [InlineData("ProblemBody")]
    public void SharedRecordsAreObjectComponents(string name)
        => Assert.Equal("object", Schemas[name]?["type"]?.GetValue<string>());

    [Theory]
    [InlineData("CaseStatus")]
    [InlineData("ReportKind")]
    [InlineData("Sex")]
    public void EnumsAreStringComponents(string name)
    {
        Assert.Equal("string", Schemas[name]?["type"]?.GetValue<string>());
        Assert.NotEmpty(Schemas[name]!["enum"]!.AsArray());
    }

    [Fact]
    public void TheCaseRecordIsOneSchemaForTheRequestThatSendsItAndTheResponsesThatReturnIt()
    {
        const string caseRecord = "#/components/schemas/CaseRecord";

        Assert.Equal(caseRecord, Schemas["CreateCaseRequest"]!["properties"]!["record"]!["$ref"]!.GetValue<string>());
        Assert.Equal(caseRecord, Schemas["CaseView"]!["properties"]!["record"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/PersonName", Schemas["Person"]!["properties"]!["name"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/FieldError", Schemas["ProblemBody"]!["properties"]!["errors"]!["items"]!["$ref"]!.GetValue<string>());
        // Sent by forms, so described as the API accepts it: unknown fields refused.
        Assert.False(Schemas["CaseRecord"]!["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void OnlyHealthTheDocumentTheWebAppTheTransferIntakeAndTheRouteNotFoundFallbackTakeNoCredentials()
    {
        // The web app's files (docs/web-app.md) hold no data: the page calls the API with the person's token. The transfer
        // intake (docs/transfers.md) is the one data route without credentials: it trusts a message on a confirmed
        // partner council's signature, not a caller.
        var anonymous = Operations().Where(operation => operation.Security.Count == 0).Select(operation => operation.Id).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["Health", "OpenApi", "ReceiveTransfer", "RouteNotFoundDelete", "RouteNotFoundGet", "RouteNotFoundPatch", "RouteNotFoundPost", "RouteNotFoundPut", "WebApp"],
            anonymous);
        Assert.All(Operations().Where(operation => operation.Security.Count > 0), operation => Assert.Equal(
            """[{"bearer":[]},{"submissionKey":[]}]""",
            operation.Security.ToJsonString()));
    }

    [Fact]
    public void EveryOperationButTheRouteNotFoundFallbackDocumentsASuccess()
    {
        // redocly.yaml turns operation-2xx-response off for the fallback alone; this holds every other operation to it.
        var withoutSuccess = Operations().Where(operation => !operation.Statuses.Any(status => status.StartsWith('2'))).Select(operation => operation.Id);

        Assert.Equal(["RouteNotFoundDelete", "RouteNotFoundGet", "RouteNotFoundPatch", "RouteNotFoundPost", "RouteNotFoundPut"], withoutSuccess.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryOperationThatTakesCredentialsDocumentsAClientError()
    {
        // redocly.yaml turns operation-4xx-response off for the anonymous health and document; this holds the rest to it.
        var withoutClientError = Operations()
            .Where(operation => operation.Security.Count > 0 && !operation.Statuses.Any(status => status.StartsWith('4')))
            .Select(operation => operation.Id);

        Assert.Empty(withoutClientError);
    }

    [Fact]
    public void TheServerIsTheDeploymentsOwnHost()
    {
        var server = Assert.Single(Document["servers"]!.AsArray());

        // Every path starts with /api already (the web app's page and files are under /app/).
        Assert.Equal("/", server!["url"]!.GetValue<string>());
        Assert.All(Document["paths"]!.AsObject(), path => Assert.True(path.Key.StartsWith("/api/", StringComparison.Ordinal) || path.Key is "/{path}" or "/app/{file}", path.Key));
    }

    private static List<(string Id, JsonArray Security, List<string> Statuses)> Operations()
        => Document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject())
            .Select(operation => (
                operation.Value!["operationId"]!.GetValue<string>(),
                operation.Value["security"]?.AsArray() ?? throw new InvalidOperationException($"{operation.Value["operationId"]} has no security entry."),
                operation.Value["responses"]!.AsObject().Select(response => response.Key).ToList()))
            .ToList();

    /// <summary>Every JSON object and array in the document with its JSON pointer, outside the problem catalogue (not schemas).</summary>
    private static IEnumerable<(string Pointer, JsonNode? Value)> Nodes(JsonNode? node, string pointer)
    {
        yield return (pointer, node);
        var children = node switch
        {
            JsonObject members => members.Where(pair => pair.Key != "x-problem-codes").Select(pair => (Key: pair.Key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal), pair.Value)),
            JsonArray items => items.Select((item, index) => (Key: index.ToString(System.Globalization.CultureInfo.InvariantCulture), Value: item)),
            _ => [],
        };
        foreach (var (key, value) in children.ToList())
        {
            foreach (var descendant in Nodes(value, pointer + "/" + key))
            {
                yield return descendant;
            }
        }
    }
}
