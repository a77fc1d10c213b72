namespace Serverless.Infra.Tests;

/// <summary>Anyone granting or removing a role in the resource group (including to themselves) is reported by email.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class AlertTests(CompiledTemplate template)
{
    [Fact]
    public void RoleAssignmentChangesInTheResourceGroupRaiseAnAlert()
    {
        var alert = template.Arm.Single("Microsoft.Insights/activityLogAlerts");
        var condition = alert.Text("properties.condition")!;

        Assert.Equal("true", alert.Text("properties.enabled"));
        Assert.Equal("[\"[resourceGroup().id]\"]", alert.Text("properties.scopes"));
        Assert.Contains("{\"field\":\"category\",\"equals\":\"Administrative\"}", condition, StringComparison.Ordinal);
        Assert.Contains("{\"field\":\"operationName\",\"equals\":\"Microsoft.Authorization/roleAssignments/write\"}", condition, StringComparison.Ordinal);
        Assert.Contains("{\"field\":\"operationName\",\"equals\":\"Microsoft.Authorization/roleAssignments/delete\"}", condition, StringComparison.Ordinal);
        Assert.Contains("{\"field\":\"operationName\",\"equals\":\"Microsoft.Authorization/locks/delete\"}", condition, StringComparison.Ordinal);
        var actionGroup = Assert.Single(alert.Value("properties.actions.actionGroups")!.AsArray())!;
        Assert.StartsWith("[resourceId('Microsoft.Insights/actionGroups', ", actionGroup["actionGroupId"]!.GetValue<string>(), StringComparison.Ordinal);
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
}
