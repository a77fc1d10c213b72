using Serverless.Infra.Tests.Arm;

namespace Serverless.Infra.Tests;

/// <summary>
/// The separate backup account the app's daily backup writes to: as hardened as the app's own, LRS in
/// Japan, versioned and soft-deleted, a private <c>backups</c> container under a time-based immutability
/// policy; and the app is told where it is and which public key to encrypt to.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class BackupStorageTests(CompiledTemplate template)
{
    private const string Module = "backupStorage";

    private ArmResource Account => template.BackupStorageAccount;

    [Fact]
    public void BackupAccountIsSeparateFromTheAppAccount()
    {
        Assert.NotEqual(template.StorageAccount.Text("name"), Account.Text("name"));
        Assert.StartsWith("[take(format('bk{0}{1}'", Account.Text("name"), StringComparison.Ordinal);
    }

    [Fact]
    public void BackupAccountHasACanNotDeleteLock()
    {
        var lockResource = template.SingleIn(Module, "Microsoft.Authorization/locks");

        Assert.Equal("CanNotDelete", lockResource.Text("properties.level"));
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]", lockResource.Raw("scope")!.GetValue<string>());
        Assert.Equal("[parameters('name')]", Account.Raw("name")!.GetValue<string>());
    }

    [Fact]
    public void EveryReadWriteAndDeleteOfABackupGoesToLogAnalytics()
    {
        var setting = template.SingleIn(Module, "Microsoft.Insights/diagnosticSettings");

        Assert.StartsWith("[resourceId('Microsoft.Storage/storageAccounts/blobServices', ", setting.Text("scope"), StringComparison.Ordinal);
        Assert.Matches(CompiledTemplate.WholeOutputOf("monitoring", "workspaceId"), setting.Text("properties.workspaceId"));
        var raw = setting.Json.ToJsonString();
        Assert.All(["StorageRead", "StorageWrite", "StorageDelete"], category => Assert.Contains(category, raw, StringComparison.Ordinal));
    }

    [Fact]
    public void BackupAccountIsStorageV2LrsInTheLocationParameter()
    {
        Assert.Equal("StorageV2", Account.Text("kind"));
        Assert.Equal("Standard_LRS", Account.Text("sku.name"));
        Assert.Equal("[parameters('location')]", Account.Text("location"));
    }

    [Fact]
    public void BackupAccountRefusesSharedKeysPlainHttpOldTlsAndPublicAccess()
    {
        Assert.Equal("false", Account.Text("properties.allowSharedKeyAccess"));
        Assert.Equal("true", Account.Text("properties.defaultToOAuthAuthentication"));
        Assert.Equal("TLS1_2", Account.Text("properties.minimumTlsVersion"));
        Assert.Equal("true", Account.Text("properties.supportsHttpsTrafficOnly"));
        Assert.Equal("false", Account.Text("properties.allowBlobPublicAccess"));
        Assert.Equal("false", Account.Text("properties.allowCrossTenantReplication"));
    }

    [Fact]
    public void BackupBlobsAreVersionedAndSoftDeleted()
    {
        var blobService = template.SingleIn(Module, "Microsoft.Storage/storageAccounts/blobServices");

        Assert.Equal("true", blobService.Text("properties.isVersioningEnabled"));
        Assert.Equal("true", blobService.Text("properties.deleteRetentionPolicy.enabled"));
        Assert.Equal("[parameters('softDeleteRetentionDays')]", blobService.Text("properties.deleteRetentionPolicy.days"));
        Assert.Equal("true", blobService.Text("properties.containerDeleteRetentionPolicy.enabled"));
        Assert.Equal("[parameters('softDeleteRetentionDays')]", blobService.Text("properties.containerDeleteRetentionPolicy.days"));
    }

    [Fact]
    public void BackupsContainerIsPrivateWithATimeBasedImmutabilityPolicy()
    {
        var container = template.SingleIn(Module, "Microsoft.Storage/storageAccounts/blobServices/containers");
        var policy = template.SingleIn(Module, "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies");

        Assert.Contains("'backups'", container.Text("name"), StringComparison.Ordinal);
        Assert.Equal("None", container.Text("properties.publicAccess"));
        Assert.Equal("true", Account.Text("properties.immutableStorageWithVersioning.enabled"));
        Assert.Equal("true", container.Text("properties.immutableStorageWithVersioning.enabled"));
        Assert.Equal("[parameters('backupImmutabilityDays')]", policy.Text("properties.immutabilityPeriodSinceCreationInDays"));
        Assert.InRange(template.Arm.Parameter("backupImmutabilityDays")["defaultValue"]!.GetValue<int>(), 7, 365);
        Assert.Equal("false", policy.Text("properties.allowProtectedAppendWrites"));
    }

    /// <summary>Backups age out (and with them any case disposed of since): the lifecycle policy deletes each
    /// file and its versions after the retention, never while it is immutable, and the app re-copies in time.</summary>
    [Fact]
    public void BackupsAreDeletedAfterTheRetentionAndTheAppKnowsIt()
    {
        var policy = template.SingleIn(Module, "Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = Assert.Single(policy.Value("properties.policy.rules")!.AsArray())!;

        Assert.True(rule["enabled"]!.GetValue<bool>());
        Assert.Equal("[format('{0}/', 'backups')]", rule["definition"]!["filters"]!["prefixMatch"]!.AsArray().Single()!.ToString());
        Assert.Equal("[max(parameters('backupRetentionDays'), parameters('backupImmutabilityDays'))]", rule["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterCreationGreaterThan"]!.ToString());
        Assert.Equal("[max(parameters('backupRetentionDays'), parameters('backupImmutabilityDays'))]", rule["definition"]!["actions"]!["version"]!["delete"]!["daysAfterCreationGreaterThan"]!.ToString());
        Assert.Equal("[string(max(parameters('backupRetentionDays'), parameters('backupImmutabilityDays')))]", template.AppSettings["Backup__RetentionDays"]);
    }

    [Fact]
    public void AppBacksUpToTheBackupContainerWithTheConfiguredPublicKey()
    {
        var settings = template.AppSettings;

        Assert.Matches(CompiledTemplate.WholeOutputOf(Module, "containerUrl"), settings["Backup__ContainerUri"]);
        Assert.Equal("[parameters('backupRecipientPublicKey')]", settings["Backup__RecipientPublicKey"]);
        Assert.Equal("[if(empty(parameters('backupRecipientPublicKey')), 'false', 'true')]", settings["Backup__Enabled"]);
        Assert.DoesNotContain("Backup__ConnectionString", settings.Keys);
        Assert.DoesNotContain("Backup__SigningKeyPem", settings.Keys);
        Assert.Matches(CompiledTemplate.WholeOutputOf("keyvault", "backupManifestSigningKeyUri"), settings["Backup__SigningKeyUri"]);
        Assert.Contains("keys/", template.Arm.Module("keyvault").ModuleOutput("backupManifestSigningKeyUri"), StringComparison.Ordinal);
        Assert.Contains("\"backup-manifest-signing\"", template.Json, StringComparison.Ordinal);
        Assert.Contains("backups", template.Arm.Module(Module).ModuleOutput("containerUrl"), StringComparison.Ordinal);
    }

    [Fact]
    public void RecipientKeyParameterIsAPublicKeyAndNotSecure()
    {
        var parameter = template.Arm.Parameter("backupRecipientPublicKey");

        // The public key is not secret; a secure parameter would hide it from review for no gain.
        Assert.Equal("string", parameter["type"]!.GetValue<string>());
        Assert.Equal("", parameter["defaultValue"]!.GetValue<string>());
        Assert.Contains("PUBLIC", parameter["metadata"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
