using System.Text.Json.Nodes;
using Serverless.Infra.Tests.Arm;

namespace Serverless.Infra.Tests;

/// <summary>The app's storage account: no keys, TLS 1.2, private, versioned, recoverable, WORM-capable, locked, logged.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class StorageTests(CompiledTemplate template)
{
    private ArmResource Account => template.StorageAccount;

    [Fact]
    public void StorageAccountRefusesSharedKeys()
    {
        Assert.Equal("false", Account.Text("properties.allowSharedKeyAccess"));
        Assert.Equal("true", Account.Text("properties.defaultToOAuthAuthentication"));
    }

    [Fact]
    public void TemplateNeverReadsAnAccountKey()
    {
        Assert.DoesNotContain("listKeys(", template.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", template.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void StorageAccountRequiresTls12AndHttps()
    {
        Assert.Equal("TLS1_2", Account.Text("properties.minimumTlsVersion"));
        Assert.Equal("true", Account.Text("properties.supportsHttpsTrafficOnly"));
    }

    [Fact]
    public void StorageAccountAllowsNoPublicBlobAccess()
    {
        Assert.Equal("false", Account.Text("properties.allowBlobPublicAccess"));
        Assert.All(Containers(), container => Assert.Equal("None", container.Text("properties.publicAccess")));
    }

    [Fact]
    public void StorageAccountIsStorageV2AndLocallyRedundantByDefault()
    {
        var sku = template.Arm.Parameter("storageSku");

        Assert.Equal("StorageV2", Account.Text("kind"));
        Assert.Equal("[parameters('storageSku')]", Account.Text("sku.name"));
        Assert.Equal("Standard_LRS", sku["defaultValue"]!.GetValue<string>());
        // Every choice keeps the data in Japan: no RA- read access in another region is offered either.
        Assert.Equal(["Standard_LRS", "Standard_ZRS", "Standard_GRS"], sku["allowedValues"]!.AsArray().Select(value => value!.GetValue<string>()));
    }

    [Fact]
    public void StorageAccountSupportsVersionLevelImmutability()
    {
        Assert.Equal("true", Account.Text("properties.immutableStorageWithVersioning.enabled"));
    }

    [Fact]
    public void BlobsAreVersionedAndSoftDeleted()
    {
        var blobService = template.SingleIn("storage", "Microsoft.Storage/storageAccounts/blobServices");
        var days = template.Arm.Parameter("softDeleteRetentionDays")["defaultValue"]!.GetValue<int>();

        Assert.Equal("true", blobService.Text("properties.isVersioningEnabled"));
        Assert.Equal("true", blobService.Text("properties.deleteRetentionPolicy.enabled"));
        Assert.Equal("[parameters('softDeleteRetentionDays')]", blobService.Text("properties.deleteRetentionPolicy.days"));
        Assert.Equal("true", blobService.Text("properties.containerDeleteRetentionPolicy.enabled"));
        Assert.Equal("[parameters('softDeleteRetentionDays')]", blobService.Text("properties.containerDeleteRetentionPolicy.days"));
        Assert.InRange(days, 7, 365);
    }

    [Fact]
    public void AuditSealContainerHasVersionLevelImmutability()
    {
        var container = AuditSealContainer();

        Assert.Equal("true", container.Text("properties.immutableStorageWithVersioning.enabled"));
    }

    [Fact]
    public void AuditSealPolicyIsDeployedUnlockedUntilOpsLocksIt()
    {
        var policy = template.SingleIn("storage", "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies");
        var retention = template.Arm.Parameter("auditSealRetentionDays");

        Assert.Contains("'audit-seals'", policy.Text("name"), StringComparison.Ordinal);
        // Written while unlocked; once ops has locked it (infra/README.md) the parameter stops the template rewriting it.
        Assert.Equal("[equals(parameters('auditSealPolicyState'), 'Unlocked')]", policy.Text("condition"));
        Assert.Equal("Unlocked", template.Arm.Parameter("auditSealPolicyState")["defaultValue"]!.GetValue<string>());
        Assert.Equal("[parameters('auditSealRetentionDays')]", policy.Text("properties.immutabilityPeriodSinceCreationInDays"));
        Assert.InRange(retention["defaultValue"]!.GetValue<int>(), 365, 146000);
        Assert.Equal("false", policy.Text("properties.allowProtectedAppendWrites"));
        Assert.Equal("false", policy.Text("properties.allowProtectedAppendWritesAll"));
    }

    [Fact]
    public void DeploymentContainerExists()
    {
        Assert.Contains(Containers(), container => container.Text("name")!.Contains("'app-package'", StringComparison.Ordinal));
        Assert.Contains("app-package", template.Arm.Module("storage").ModuleOutput("deploymentContainerUrl"), StringComparison.Ordinal);
    }

    [Fact]
    public void StorageAccountHasACanNotDeleteLock()
    {
        var lockResource = template.SingleIn("storage", "Microsoft.Authorization/locks");

        Assert.Equal("CanNotDelete", lockResource.Text("properties.level"));
        Assert.Matches(@"^\[resourceId\('Microsoft\.Storage/storageAccounts', .+\)\]$", lockResource.Text("scope"));
        Assert.Equal(template.StorageAccount.Text("name"), ResourceNameIn(lockResource.Text("scope")!));
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices")]
    public void StorageDataPlaneLogsGoToLogAnalytics(string service)
    {
        var setting = Assert.Single(
            template.In("storage", "Microsoft.Insights/diagnosticSettings"),
            candidate => candidate.Text("scope")!.StartsWith($"[resourceId('{service}', ", StringComparison.Ordinal));
        var loop = Assert.Single(setting.Value("properties.copy")!.AsArray())!.AsObject();
        var categories = setting.Scope.Template["variables"]!["storageLogCategories"]!.AsArray().Select(value => value!.GetValue<string>());

        Assert.Matches(CompiledTemplate.WholeOutputOf("monitoring", "workspaceId"), setting.Text("properties.workspaceId"));
        Assert.Equal("logs", loop["name"]!.GetValue<string>());
        Assert.Equal("[length(variables('storageLogCategories'))]", loop["count"]!.GetValue<string>());
        Assert.Equal("true", loop["input"]!["enabled"]!.ToJsonString());
        Assert.Equal(["StorageRead", "StorageWrite", "StorageDelete"], categories);
    }

    private IEnumerable<ArmResource> Containers() => template.Arm.OfType("Microsoft.Storage/storageAccounts/blobServices/containers");

    private ArmResource AuditSealContainer() =>
        Assert.Single(Containers(), container => container.Text("name")!.Contains("'audit-seals'", StringComparison.Ordinal));

    // "[resourceId('Microsoft.Storage/storageAccounts', NAME)]" -> "[NAME]", comparable with the account's resolved name.
    private static string ResourceNameIn(string resourceIdExpression)
    {
        const string prefix = "[resourceId('Microsoft.Storage/storageAccounts', ";
        return $"[{resourceIdExpression[prefix.Length..^2]}]";
    }
}
