using Serverless.Infra.Tests.Arm;

namespace Serverless.Infra.Tests;

/// <summary>Key Vault with RBAC and purge protection; the HMAC secret is written only when given.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class KeyVaultTests(CompiledTemplate template)
{
    private ArmResource Vault => template.Arm.Single("Microsoft.KeyVault/vaults");

    [Fact]
    public void KeyVaultUsesRbacAndPurgeProtection()
    {
        Assert.Equal("true", Vault.Text("properties.enableRbacAuthorization"));
        Assert.Equal("true", Vault.Text("properties.enablePurgeProtection"));
        Assert.Null(Vault.Raw("properties.accessPolicies"));
    }

    [Fact]
    public void CaseSearchSecretIsWrittenOnlyWhenAValueIsGiven()
    {
        var secret = template.Arm.Single("Microsoft.KeyVault/vaults/secrets");
        var parameter = template.Arm.Parameter("caseSearchHmacKey");

        Assert.Equal("[not(empty(parameters('caseSearchHmacKey')))]", secret.Text("condition"));
        Assert.Equal("[parameters('caseSearchHmacKey')]", secret.Text("properties.value"));
        Assert.Equal("securestring", parameter["type"]!.GetValue<string>());
        Assert.Equal("", parameter["defaultValue"]!.GetValue<string>());
    }

    [Fact]
    public void KeyVaultAuditEventsGoToLogAnalytics()
    {
        var setting = Assert.Single(
            template.Arm.OfType("Microsoft.Insights/diagnosticSettings"),
            candidate => candidate.Text("scope")!.StartsWith("[resourceId('Microsoft.KeyVault/vaults', ", StringComparison.Ordinal));

        Assert.Matches(CompiledTemplate.WholeOutputOf("monitoring", "workspaceId"), setting.Text("properties.workspaceId"));
        Assert.Contains("{\"categoryGroup\":\"audit\",\"enabled\":true}", setting.Text("properties.logs"), StringComparison.Ordinal);
    }
}
