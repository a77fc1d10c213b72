using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Serverless.Functions.Contracts;
using Serverless.Problems;
using Serverless.Tests.Hosting;
using Serverless.Testing;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Contracts;

/// <summary>
/// The checked-in OpenAPI document is the contract agencies build against: it must say exactly what
/// the code does, be what the app serves, and be readable by standard OpenAPI tooling.
/// </summary>
public sealed partial class OpenApiContractTests
{
    private const string UpdateVariable = "UPDATE_CONTRACTS";

    private static readonly string ContractsFolder = Path.Combine(RepositoryPaths.Root, "functions", "Serverless.Functions", "Contracts");

    private static readonly string CheckedInPath = Path.Combine(ContractsFolder, "openapi.json");

    private static readonly string ActualPath = Path.Combine(ContractsFolder, "openapi.actual.json");

    [Fact]
    public void CheckedInOpenApiMatchesTheCode()
    {
        var generated = OpenApiDocumentBuilder.Build();
        var checkedIn = File.Exists(CheckedInPath) ? File.ReadAllText(CheckedInPath) : "";

        if (string.Equals(Normalize(checkedIn), Normalize(generated), StringComparison.Ordinal))
        {
            File.Delete(ActualPath); // a leftover from an earlier mismatch would only confuse
            return;
        }

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(CheckedInPath, Normalize(generated), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Delete(ActualPath);
            return;
        }

        File.WriteAllText(ActualPath, Normalize(generated), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Assert.Fail(
            "The OpenAPI document the code describes differs from the checked-in functions/Serverless.Functions/Contracts/openapi.json. "
            + "The generated one is in functions/Serverless.Functions/Contracts/openapi.actual.json. Review the difference "
            + "(a changed contract may break agencies' forms), then accept it with "
            + $"`{UpdateVariable}=1 dotnet run --project tools/Dev -- test` or by copying openapi.actual.json over openapi.json, and rebuild.");
    }

    [Fact]
    public async Task ServedOpenApiIsTheCheckedInFileByteForByte()
    {
        await using var host = await TestHost.StartAsync();

        var response = await host.Client.GetAsync("api/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var served = await response.Content.ReadAsByteArrayAsync();
        var onDisk = await File.ReadAllBytesAsync(CheckedInPath);
        Assert.True(
            served.AsSpan().SequenceEqual(onDisk),
            CheckedInOpenApi.Text == Encoding.UTF8.GetString(onDisk)
                ? "The served document differs from openapi.json although the embedded copy is the same: the app alters it on the way out."
                : "The build embeds an older openapi.json than the one on disk: rebuild (dotnet build) after updating the contract.");
    }

    [Fact]
    public void CheckedInOpenApiIsValidOpenApi31()
    {
        var (document, diagnostic) = OpenApiDocument.Parse(File.ReadAllText(CheckedInPath), "json");

        Assert.NotNull(document);
        Assert.NotNull(diagnostic);
        Assert.Empty(diagnostic.Errors.Select(error => $"{error.Pointer}: {error.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        using var json = JsonDocument.Parse(File.ReadAllText(CheckedInPath));
        Assert.Equal("3.1.0", json.RootElement.GetProperty("openapi").GetString());
    }

    [Fact]
    public void EveryHttpFunctionIsDocumentedWithEachMethodAndNothingElse()
    {
        var functions = HttpFunctionsFromMetadata();
        Assert.NotEmpty(functions);
        var expected = functions
            .SelectMany(function => function.Methods.Select(method => $"{method.ToUpperInvariant()} /{WithoutConstraints(function.Route)}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var (document, _) = OpenApiDocument.Parse(File.ReadAllText(CheckedInPath), "json");
        Assert.NotNull(document);
        var documented = document.Paths
            .SelectMany(path => (path.Value.Operations ?? []).Select(operation => $"{operation.Key.Method.ToUpperInvariant()} {path.Key}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(expected, documented);
    }

    [Fact]
    public void OperationIdsAreUnique()
    {
        // OpenAPI requires it and client generators name methods after it; the reader does not check.
        using var json = JsonDocument.Parse(File.ReadAllText(CheckedInPath));

        var ids = Operations(json).Select(operation => operation.Value.GetProperty("operationId").GetString()!).ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryPathTemplateParameterIsDeclaredOnEachOperation()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(CheckedInPath));

        foreach (var path in json.RootElement.GetProperty("paths").EnumerateObject())
        {
            var inTemplate = TemplateParameter().Matches(path.Name).Select(match => match.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
            foreach (var operation in path.Value.EnumerateObject())
            {
                var declared = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray()
                        .Where(parameter => parameter.GetProperty("in").GetString() == "path")
                        .Select(parameter => parameter.GetProperty("name").GetString()!)
                        .Order(StringComparer.Ordinal)
                        .ToList()
                    : [];
                Assert.True(inTemplate.SequenceEqual(declared), $"{operation.Name} {path.Name} declares [{string.Join(", ", declared)}]");
            }
        }
    }

    [Fact]
    public void ProblemBodySchemaDescribesWhatProblemResponsesContain()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(CheckedInPath));
        var schema = json.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ProblemBody");

        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Equal(
            ["code", "detail", "instance", "requestId", "status", "title", "type"],
            schema.GetProperty("required").EnumerateArray().Select(name => name.GetString()!).Order(StringComparer.Ordinal));
        var properties = schema.GetProperty("properties");
        Assert.Equal("integer", properties.GetProperty("status").GetProperty("type").GetString());
        foreach (var text in new[] { "type", "title", "detail", "instance", "code", "requestId" })
        {
            Assert.Equal("string", properties.GetProperty(text).GetProperty("type").GetString());
        }

        // errors is left out when there are none, never null; problem details may gain members (RFC 9457).
        Assert.Equal("array", properties.GetProperty("errors").GetProperty("type").GetString());
        Assert.False(properties.GetProperty("errors").TryGetProperty("default", out _));
        Assert.False(schema.TryGetProperty("additionalProperties", out _));
    }

    [Fact]
    public void ProblemCatalogueIsCompleteAndBilingual()
    {
        Assert.NotEmpty(ProblemCatalogue.All);
        Assert.Equal(ProblemCatalogue.All.Count, ProblemCatalogue.All.Select(code => code.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ProblemCatalogue.All, code =>
        {
            Assert.Matches(CodePattern(), code.Code);
            Assert.InRange(code.Status, 400, 599);
            Assert.False(string.IsNullOrWhiteSpace(code.TitleJa), $"{code.Code}: Japanese title");
            Assert.False(string.IsNullOrWhiteSpace(code.TitleEn), $"{code.Code}: English title");
            Assert.False(string.IsNullOrWhiteSpace(code.DetailJa), $"{code.Code}: Japanese detail");
            Assert.False(string.IsNullOrWhiteSpace(code.DetailEn), $"{code.Code}: English detail");
        });
    }

    [Fact]
    public void DocumentListsExactlyTheProblemCatalogue()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(CheckedInPath));

        var listed = json.RootElement.GetProperty("x-problem-codes").EnumerateArray()
            .Select(entry => string.Join(
                " | ",
                entry.GetProperty("code").GetString(),
                entry.GetProperty("status").GetInt32(),
                entry.GetProperty("type").GetString(),
                entry.GetProperty("title").GetProperty("ja").GetString(),
                entry.GetProperty("title").GetProperty("en").GetString(),
                entry.GetProperty("detail").GetProperty("ja").GetString(),
                entry.GetProperty("detail").GetProperty("en").GetString()))
            .ToList();

        var catalogue = ProblemCatalogue.All
            .Select(code => string.Join(
                " | ",
                code.Code,
                code.Status,
                "urn:serverless-case-sharing:problem:" + code.Code,
                code.TitleJa,
                code.TitleEn,
                code.DetailJa,
                code.DetailEn))
            .ToList();
        Assert.Equal(catalogue, listed);
    }

    [Fact]
    public void EveryProblemCodeAnOperationNamesIsInTheCatalogue()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(CheckedInPath));
        var known = ProblemCatalogue.All.ToDictionary(code => code.Code, StringComparer.Ordinal);

        var named = Operations(json)
            .SelectMany(operation => operation.Value.GetProperty("responses").EnumerateObject())
            .Where(response => response.Value.TryGetProperty("x-problem-codes", out _))
            .SelectMany(response => response.Value.GetProperty("x-problem-codes").EnumerateArray()
                .Select(code => (Status: response.Name, Code: code.GetString()!)))
            .ToList();

        Assert.NotEmpty(named);
        Assert.All(named, entry =>
        {
            Assert.True(known.TryGetValue(entry.Code, out var code), $"{entry.Code} is not in the catalogue");
            Assert.Equal(code.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Status);
        });
    }

    [Fact]
    public void BuilderRefusesAProblemCodeThatIsNotInTheCatalogue()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => OpenApiDocumentBuilder.Build(typeof(FunctionNamingUnknownProblem).Assembly));

        Assert.Contains("request.no-such-problem", ex.Message, StringComparison.Ordinal);
    }

    private static string Normalize(string text) => text.ReplaceLineEndings("\n");

    private static IEnumerable<JsonProperty> Operations(JsonDocument json)
        => json.RootElement.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject());

    /// <summary><c>{id:guid}</c> → <c>{id}</c>, <c>{*path}</c> → <c>{path}</c>, as OpenAPI paths write them.</summary>
    private static string WithoutConstraints(string route) => RouteParameter().Replace(route, "{$1}");

    private static List<(string Name, string Route, IReadOnlyList<string> Methods)> HttpFunctionsFromMetadata()
        => FunctionsMetadataEntry.Load()
            .Where(entry => entry.TriggerType == "httpTrigger")
            .Select(entry =>
            {
                // Without methods the Functions host accepts every method; the document could not say so.
                Assert.True(entry.Trigger["methods"] is not null, $"HTTP function {entry.Name} must name its methods.");
                var route = entry.Trigger["route"]?.GetValue<string>() is { Length: > 0 } declared ? declared : entry.Name;
                return (entry.Name, route, (IReadOnlyList<string>)entry.Trigger["methods"]!.AsArray().Select(method => method!.GetValue<string>()).ToList());
            })
            .ToList();

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex TemplateParameter();

    [GeneratedRegex(@"^[a-z]+\.[a-z]+(-[a-z]+)*$")]
    private static partial Regex CodePattern();

    /// <summary>Only <see cref="BuilderRefusesAProblemCodeThatIsNotInTheCatalogue"/> reads it; the app never sees this assembly's functions.</summary>
    internal sealed class FunctionNamingUnknownProblem
    {
        [Function("NamesUnknownProblem")]
        [ApiOperation("Names a problem code the catalogue does not have.")]
        [ApiProblems("request.no-such-problem")]
        public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "unknown-problem")] HttpRequest request)
            => new OkResult();
    }
}
