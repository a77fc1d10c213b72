using System.Text.Json.Nodes;
using Serverless.Testing;

namespace Serverless.Tests.Contracts;

/// <summary>
/// Agencies' vendors build their forms from the checked-in document with public tools. Each tool is run here on it
/// as a vendor would, so a document that lints dirty, breaks a generator or gives a client path-named classes
/// fails CI rather than a vendor. The tools come pinned from package.json and .config/dotnet-tools.json.
/// </summary>
public sealed class ClientGeneratorTests : IDisposable
{
    private static readonly string CheckedInPath = Path.Combine(RepositoryPaths.Root, "functions", "Serverless.Functions", "Contracts", "openapi.json");

    /// <summary>The shared types a vendor's client must have as classes and enums of their own.</summary>
    private static readonly string[] SharedTypes = ["CaseRecord", "PersonName", "Person", "TimelineEntryView", "EntryScope", "ProblemBody", "CaseStatus", "ReportKind"];

    private readonly string work = Directory.CreateTempSubdirectory("serverless-client-generator-tests-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task RedoclyRecommendedRulesFindNoErrorAndNoWarning()
    {
        var verdict = await VendorTools.LintAsync(CheckedInPath);

        Assert.True(verdict.Problems.Count == 0, "Redocly CLI (recommended rules, redocly.yaml) finds:\n" + verdict);
    }

    [Fact]
    public async Task OpenApiTypescriptGeneratesTypesWithoutErrors()
    {
        var verdict = await VendorTools.TypeScriptAsync(CheckedInPath, Path.Combine(work, "api.d.ts"));

        Assert.True(verdict.Problems.Count == 0, "openapi-typescript finds:\n" + verdict);
    }

    [Fact]
    public async Task KiotaGeneratesACSharpClientWithAClassForEveryNamedSchema()
    {
        var output = Path.Combine(work, "kiota");

        var verdict = await VendorTools.KiotaAsync(CheckedInPath, output);

        Assert.True(verdict.Problems.Count == 0, "Kiota finds:\n" + verdict);
        var models = Directory.GetFiles(Path.Combine(output, "Models"), "*.cs").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        var components = Components();
        Assert.Subset(components.Select(component => component.Key).ToHashSet(StringComparer.Ordinal), SharedTypes.ToHashSet(StringComparer.Ordinal));
        var withoutClass = components.Select(component => component.Key).Except(models, StringComparer.Ordinal).ToList();
        Assert.True(withoutClass.Count == 0, $"Kiota generated no class or enum for the schemas {string.Join(", ", withoutClass)}: a schema of its own name should be a record or enum of the app.");
        // Kiota names a class after its path (CaseListPage_cases_record) only for an object that has no schema of its own
        // name; the one kind allowed is a free-form JSON object a record carries (UpdateCaseRequest.changes, a merge patch).
        Assert.All(models.Except(components.Select(component => component.Key), StringComparer.Ordinal), model =>
        {
            var parts = model!.Split('_');
            var member = parts.Length == 2 && components.TryGetValue(parts[0], out var owner) ? owner?["properties"]?[parts[1]] : null;
            Assert.True(
                member is JsonObject free && free["type"]?.GetValue<string>() == "object" && free["properties"] is null,
                $"Kiota generated the path-named class {model}: give that type a schema of its own name (a record or enum of the app).");
        });
    }

    public static TheoryData<string> Checks => ["redocly", "openapi-typescript", "kiota"];

    [Theory]
    [MemberData(nameof(Checks))]
    public async Task EachCheckRejectsADocumentWithADanglingReference(string check)
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(CheckedInPath))!;
        document["components"]!["schemas"]!["CaseView"]!["properties"]!["record"] = new JsonObject { ["$ref"] = "#/components/schemas/NoSuchSchema" };
        var broken = Path.Combine(work, "broken.json");
        await File.WriteAllTextAsync(broken, document.ToJsonString());

        var verdict = check switch
        {
            "redocly" => await VendorTools.LintAsync(broken),
            "openapi-typescript" => await VendorTools.TypeScriptAsync(broken, Path.Combine(work, "api.d.ts")),
            _ => await VendorTools.KiotaAsync(broken, Path.Combine(work, "kiota")),
        };

        Assert.True(verdict.Problems.Count > 0, $"{check} accepted a reference to a schema that does not exist:\n{verdict}");
        Assert.Contains(verdict.Problems, problem => problem.Contains("NoSuchSchema", StringComparison.Ordinal) || problem.Contains("CaseView", StringComparison.Ordinal));
    }

    [Fact]
    public void RedoclyConfigurationGivesAReasonForEveryRuleItTurnsOff()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "redocly.yaml"));

        var unexplained = lines.Select((line, index) => (line, index))
            .Where(entry => entry.line.TrimEnd().EndsWith(": off", StringComparison.Ordinal))
            .Where(entry => entry.index == 0 || !lines[entry.index - 1].TrimStart().StartsWith("# ", StringComparison.Ordinal))
            .Select(entry => entry.line.Trim())
            .ToList();

        Assert.Contains(lines, line => line.Trim() == "- recommended");
        Assert.Empty(unexplained);
    }

    private static Dictionary<string, JsonNode?> Components()
    {
        var document = JsonNode.Parse(File.ReadAllText(CheckedInPath))!;
        return document["components"]!["schemas"]!.AsObject().ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }
}
