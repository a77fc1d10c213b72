namespace Serverless.Infra.Tests;

/// <summary>The deployment hands the next step what it needs, and nothing secret.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class OutputTests(CompiledTemplate template)
{
    [Fact]
    public void ApiBaseUrlIsTheAppHostUnderApi()
    {
        Assert.Matches(
            $@"^\[format\('https://\{{0\}}/api', {CompiledTemplate.OutputOf("functionapp", "defaultHostName")}\)\]$",
            template.Arm.Outputs["API_BASE_URL"]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("AZURE_FUNCTION_APP_NAME", "functionapp", "name")]
    [InlineData("AZURE_STORAGE_ACCOUNT_NAME", "storage", "name")]
    [InlineData("AZURE_MANAGED_IDENTITY_CLIENT_ID", "identity", "clientId")]
    [InlineData("AZURE_MANAGED_IDENTITY_PRINCIPAL_ID", "identity", "principalId")]
    [InlineData("AZURE_KEY_VAULT_NAME", "keyvault", "name")]
    public void OutputNamesWhatTheNextStepNeeds(string output, string module, string moduleOutput)
    {
        Assert.Matches(CompiledTemplate.WholeOutputOf(module, moduleOutput), template.Arm.Outputs[output]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void NoOutputCarriesASecret()
    {
        Assert.All(template.Arm.Outputs, output =>
        {
            Assert.NotEqual("securestring", output.Value!["type"]!.GetValue<string>());
            Assert.DoesNotContain("parameters('caseSearchHmacKey')", output.Value.ToJsonString(), StringComparison.Ordinal);
        });
    }
}
