using System.Text.Json.Nodes;
using Serverless.Infra.Tests.Arm;

namespace Serverless.Infra.Tests;

/// <summary>
/// Anyone granting or removing a role in the resource group (including to themselves) is reported by email, and so is
/// every path a Contributor still has to the data: app settings, account keys, Key Vault secrets and keys, the
/// deployment package, and backups written by anyone but the app (docs/security.md section 3).
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class AlertTests(CompiledTemplate template)
{
    [Fact]
    public void RoleAssignmentChangesInTheResourceGroupRaiseAnAlert()
    {
        var alert = ActivityLogAlertWatching("Microsoft.Authorization/roleAssignments/write");
        var condition = alert.Text("properties.condition")!;

        Assert.Equal("true", alert.Text("properties.enabled"));
        Assert.Equal("[\"[resourceGroup().id]\"]", alert.Text("properties.scopes"));
        Assert.Contains("{\"field\":\"category\",\"equals\":\"Administrative\"}", condition, StringComparison.Ordinal);
        Assert.Contains("{\"field\":\"operationName\",\"equals\":\"Microsoft.Authorization/roleAssignments/write\"}", condition, StringComparison.Ordinal);
        Assert.Contains("{\"field\":\"operationName\",\"equals\":\"Microsoft.Authorization/roleAssignments/delete\"}", condition, StringComparison.Ordinal);
        Assert.Contains("{\"field\":\"operationName\",\"equals\":\"Microsoft.Authorization/locks/delete\"}", condition, StringComparison.Ordinal);
        AssertTellsTheSecurityContact(alert);
    }

    /// <summary>The activity log says that a setting changed, not which one: every app-settings write is reported
    /// (Backup__RecipientPublicKey, Auth__*, the storage endpoints can each open a path to the data).</summary>
    [Fact]
    public void AppSettingsKeysAndVaultWritesAtTheControlPlaneRaiseAnAlert()
    {
        var alert = ActivityLogAlertWatching("Microsoft.Web/sites/config/write");
        var condition = alert.Text("properties.condition")!;

        Assert.Equal("true", alert.Text("properties.enabled"));
        Assert.Equal("[\"[resourceGroup().id]\"]", alert.Text("properties.scopes"));
        Assert.Contains("{\"field\":\"category\",\"equals\":\"Administrative\"}", condition, StringComparison.Ordinal);
        foreach (var operation in new[]
        {
            "Microsoft.Web/sites/config/write",
            "Microsoft.Web/sites/write",
            "Microsoft.Storage/storageAccounts/listKeys/action",
            "Microsoft.Storage/storageAccounts/write",
            "Microsoft.KeyVault/vaults/write",
            "Microsoft.KeyVault/vaults/secrets/write",
            "Microsoft.KeyVault/vaults/keys/write",
            "Microsoft.Insights/diagnosticSettings/write",
            "Microsoft.Insights/diagnosticSettings/delete",
        })
        {
            Assert.Contains($"{{\"field\":\"operationName\",\"equals\":\"{operation}\"}}", condition, StringComparison.Ordinal);
        }

        AssertTellsTheSecurityContact(alert);
    }

    /// <summary>Setting a secret or creating a key is a data-plane operation: it reaches the workspace as an
    /// AuditEvent, never the activity log.</summary>
    [Fact]
    public void KeyVaultSecretAndKeyWritesRaiseALogAlert()
    {
        var alert = LogAlertNamed("keyvault-writes");
        var query = Query(alert);

        foreach (var operation in new[] { "SecretSet", "SecretDelete", "SecretRestore", "SecretRecover", "KeyCreate", "KeyUpdate", "KeyImport", "KeyDelete", "KeyRotate", "KeyRestore", "KeyRecover" })
        {
            Assert.Contains($"'{operation}'", query, StringComparison.Ordinal);
        }

        Assert.Contains("MICROSOFT.KEYVAULT", query, StringComparison.Ordinal);
        Assert.Contains("'AuditEvent'", query, StringComparison.Ordinal);
        AssertIsAFiveMinuteLogAlert(alert);
    }

    /// <summary>On Flex Consumption the code is a blob in the deployment container: replacing it leaves no
    /// activity-log entry, only a StorageWrite in the account's data-plane logs.</summary>
    [Fact]
    public void WritesToTheDeploymentPackageContainerRaiseALogAlert()
    {
        var alert = LogAlertNamed("deployment-package");
        var query = Query(alert);

        Assert.True(query.Contains("app-package", StringComparison.Ordinal) || query.Contains("deploymentContainerName", StringComparison.Ordinal), query);
        Assert.Contains("ObjectKey startswith", query, StringComparison.Ordinal);
        Assert.Contains("StorageBlobLogs", query, StringComparison.Ordinal);
        Assert.Contains("'StorageWrite'", query, StringComparison.Ordinal);
        Assert.Contains("'StorageDelete'", query, StringComparison.Ordinal);
        AssertIsAFiveMinuteLogAlert(alert);
    }

    /// <summary>Only the app writes backups; a write by anyone else is how a forged backup would arrive.</summary>
    [Fact]
    public void BackupWritesByAnyoneButTheAppRaiseALogAlert()
    {
        var alert = LogAlertNamed("backup-writes");
        var query = Query(alert);

        Assert.Contains("StorageBlobLogs", query, StringComparison.Ordinal);
        Assert.Contains("RequesterObjectId !=", query, StringComparison.Ordinal);
        Assert.True(query.Contains("outputs.principalId.value", StringComparison.Ordinal) || query.Contains("appPrincipalId", StringComparison.Ordinal), query);
        Assert.Matches(CompiledTemplate.WholeOutputOf("identity", "principalId"), template.Arm.Module("alerts").ModuleParameter("appPrincipalId")!.ToString());
        AssertIsAFiveMinuteLogAlert(alert);
    }

    [Fact]
    public void EveryAlertTellsTheOneSecurityContactActionGroup()
    {
        var alerts = template.Arm.OfType("Microsoft.Insights/activityLogAlerts").Concat(template.Arm.OfType("Microsoft.Insights/scheduledQueryRules")).ToList();

        Assert.Equal(5, alerts.Count);
        Assert.Single(template.Arm.OfType("Microsoft.Insights/actionGroups"));
        Assert.All(alerts, AssertTellsTheSecurityContact);
    }

    [Fact]
    public void AlertEmailsTheSecurityContact()
    {
        var actionGroup = template.Arm.Single("Microsoft.Insights/actionGroups");

        Assert.Equal("true", actionGroup.Text("properties.enabled"));
        var receiver = Assert.Single(actionGroup.Value("properties.emailReceivers")!.AsArray())!;
        Assert.Equal("[parameters('securityAlertEmail')]", receiver["emailAddress"]!.GetValue<string>());
        // Required: a deployment without someone to tell does not start.
        Assert.Null(template.Arm.Parameter("securityAlertEmail")["defaultValue"]);
    }

    private ArmResource ActivityLogAlertWatching(string operation)
        => Assert.Single(
            template.Arm.OfType("Microsoft.Insights/activityLogAlerts"),
            alert => alert.Text("properties.condition")!.Contains($"\"equals\":\"{operation}\"", StringComparison.Ordinal));

    private ArmResource LogAlertNamed(string suffix)
        => Assert.Single(template.Arm.OfType("Microsoft.Insights/scheduledQueryRules"), alert => alert.Text("name")!.Contains($"-{suffix}'", StringComparison.Ordinal));

    private static string Query(ArmResource alert)
        => Assert.Single(alert.Value("properties.criteria.allOf")!.AsArray())!["query"]!.GetValue<string>();

    private static void AssertIsAFiveMinuteLogAlert(ArmResource alert)
    {
        var criterion = Assert.Single(alert.Value("properties.criteria.allOf")!.AsArray())!;
        Assert.Equal("true", alert.Text("properties.enabled"));
        Assert.Equal("PT5M", alert.Text("properties.evaluationFrequency"));
        Assert.Equal("PT5M", alert.Text("properties.windowSize"));
        Assert.Matches(CompiledTemplate.WholeOutputOf("monitoring", "workspaceId"), Assert.Single(alert.Value("properties.scopes")!.AsArray())!.GetValue<string>());
        Assert.Equal("Count", criterion["timeAggregation"]!.GetValue<string>());
        Assert.Equal("GreaterThan", criterion["operator"]!.GetValue<string>());
        Assert.Equal(0, criterion["threshold"]!.GetValue<int>());
        AssertTellsTheSecurityContact(alert);
    }

    private static void AssertTellsTheSecurityContact(ArmResource alert)
    {
        var groups = alert.Value("properties.actions.actionGroups")!.AsArray();
        var group = Assert.Single(groups)!;
        var id = group is JsonObject withId ? withId["actionGroupId"]!.GetValue<string>() : group.GetValue<string>();
        Assert.StartsWith("[resourceId('Microsoft.Insights/actionGroups', ", id, StringComparison.Ordinal);
    }
}
