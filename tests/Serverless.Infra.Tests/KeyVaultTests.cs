using Serverless.Infra.Tests.Arm;

namespace Serverless.Infra.Tests;

/// <summary>Key Vault with RBAC and purge protection; the HMAC secret and the webhook key are written only when given.</summary>
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
        var secret = Secret("caseSearchHmacKeySecretName");
        var parameter = template.Arm.Parameter("caseSearchHmacKey");

        Assert.Equal("[not(empty(parameters('caseSearchHmacKey')))]", secret.Text("condition"));
        Assert.Equal("[parameters('caseSearchHmacKey')]", secret.Text("properties.value"));
        Assert.Equal("securestring", parameter["type"]!.GetValue<string>());
        Assert.Equal("", parameter["defaultValue"]!.GetValue<string>());
    }

    /// <summary>A later deployment without the key must never replace it: every stored webhook URL and secret is
    /// sealed with it.</summary>
    [Fact]
    public void WebhookKeySecretIsWrittenOnlyWhenAValueIsGiven()
    {
        var secret = Secret("webhookEncryptionKeySecretName");
        var parameter = template.Arm.Parameter("webhookEncryptionKey");

        Assert.Equal("[not(empty(parameters('webhookEncryptionKey')))]", secret.Text("condition"));
        Assert.Equal("[parameters('webhookEncryptionKey')]", secret.Text("properties.value"));
        Assert.Equal("securestring", parameter["type"]!.GetValue<string>());
        Assert.Equal("", parameter["defaultValue"]!.GetValue<string>());
        Assert.Equal(2, template.Arm.OfType("Microsoft.KeyVault/vaults/secrets").Count());
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

    /// <summary>The app signs each backup's manifest with a key it can use but never read out (item 7 of issue #14):
    /// a Contributor who can write to backup storage cannot make a backup the restore accepts.</summary>
    [Fact]
    public void BackupManifestSigningKeyIsAnEcP256KeyThatOnlySignsAndVerifies()
    {
        var key = Key("backup-manifest-signing", "backupManifestSigningKeyName");

        Assert.Equal("EC", key.Text("properties.kty"));
        Assert.Equal("P-256", key.Text("properties.curveName"));
        Assert.Equal("[\"sign\",\"verify\"]", key.Text("properties.keyOps"));
        Assert.Equal(3, template.Arm.OfType("Microsoft.KeyVault/vaults/keys").Count()); // and the two transfer keys below
    }

    /// <summary>Transfers (移管, docs/transfers.md): the app signs with one key and unwraps package keys with the other, and
    /// can do nothing else with either; neither private key ever leaves the vault.</summary>
    [Fact]
    public void TransferKeysAreAnEcP256SigningKeyAndAnRsa3072KeyThatOnlyUnwraps()
    {
        var signing = Key("transfer-signing", "transferSigningKeyName");
        var decryption = Key("transfer-decryption", "transferDecryptionKeyName");

        Assert.Equal(("EC", "P-256", "[\"sign\",\"verify\"]"), (signing.Text("properties.kty"), signing.Text("properties.curveName"), signing.Text("properties.keyOps")));
        Assert.Equal("RSA", decryption.Text("properties.kty"));
        Assert.Equal("3072", decryption.Json["properties"]!["keySize"]!.ToJsonString());
        Assert.Equal("[\"unwrapKey\"]", decryption.Text("properties.keyOps"));
        var settings = template.AppSettings;
        Assert.Matches(CompiledTemplate.WholeOutputOf("keyvault", "transferSigningKeyUri"), settings["Transfers__SigningKeyUri"]);
        Assert.Matches(CompiledTemplate.WholeOutputOf("keyvault", "transferDecryptionKeyUri"), settings["Transfers__DecryptionKeyUri"]);
        Assert.DoesNotContain("Transfers__SigningKeyPem", settings.Keys);
        Assert.DoesNotContain("Transfers__DecryptionKeyPem", settings.Keys);
    }

    /// <summary>The key named <paramref name="name"/> (its default), by that name or by its name parameter.</summary>
    private ArmResource Key(string name, string parameter)
        => Assert.Single(template.Arm.OfType("Microsoft.KeyVault/vaults/keys"), key => key.Text("name")!.Contains($"'{name}'", StringComparison.Ordinal) || key.Text("name")!.Contains($"'{parameter}'", StringComparison.Ordinal));

    private ArmResource Secret(string nameParameter)
        => Assert.Single(template.Arm.OfType("Microsoft.KeyVault/vaults/secrets"), secret => secret.Json["name"]!.GetValue<string>().Contains(nameParameter, StringComparison.Ordinal));
}
