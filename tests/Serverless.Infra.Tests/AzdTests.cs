using System.Text.Json.Nodes;
using Serverless.Infra.Tests.Bicep;

namespace Serverless.Infra.Tests;

/// <summary>azd deploys the same template with the same safe defaults, and publishes the Functions project.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class AzdTests(CompiledTemplate template)
{
    // Only what azd must map from its environment, plus the allow-list to edit. Everything else keeps
    // the template's default, so the parameters file cannot quietly weaken it.
    private static readonly string[] ParametersAzdMaySet =
        ["namePrefix", "location", "securityAlertEmail", "caseSearchHmacKey", "allowedIpRanges", "entraTenantId", "apiAudience", "allowedClientApplications", "auditSealPolicyState"];

    [Fact]
    public void ParametersFileSetsOnlyWhatAzdMustMap()
    {
        var parameters = ParametersFile();
        var declared = template.Arm.Root["parameters"]!.AsObject().Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);

        Assert.All(parameters.Select(pair => pair.Key), name =>
        {
            Assert.Contains(name, ParametersAzdMaySet);
            Assert.Contains(name, declared);
        });
    }

    [Fact]
    public void ParametersFileTakesTheNameAndRegionFromTheAzdEnvironment()
    {
        var parameters = ParametersFile();

        Assert.Equal("${AZURE_ENV_NAME}", parameters["namePrefix"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION=japaneast}", parameters["location"]!["value"]!.GetValue<string>());
        Assert.Empty(parameters["allowedIpRanges"]!["value"]!.AsArray());
        Assert.Equal("${AUDIT_SEAL_POLICY_STATE=Unlocked}", parameters["auditSealPolicyState"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void AzureYamlPublishesTheFunctionsProjectAsServiceApi()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "azure.yaml")).Select(line => line.Trim()).ToList();

        Assert.Contains("api:", lines);
        Assert.Contains("project: ./functions/Serverless.Functions", lines);
        Assert.Contains("language: dotnet", lines);
        Assert.Contains("host: function", lines);
        Assert.Contains("path: infra", lines);
        Assert.Contains("module: main", lines);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "functions", "Serverless.Functions", "Serverless.Functions.csproj")));
    }

    private static JsonObject ParametersFile() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Infra, "main.parameters.json")))!["parameters"]!.AsObject();
}
