using Serverless.Infra.Tests.Arm;

namespace Serverless.Infra.Tests;

/// <summary>Application Insights on Log Analytics, Entra ID-only telemetry, capped; logs kept at least a year.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class MonitoringTests(CompiledTemplate template)
{
    private ArmResource AppInsights => template.Arm.Single("Microsoft.Insights/components");

    private ArmResource Workspace => template.Arm.Single("Microsoft.OperationalInsights/workspaces");

    [Fact]
    public void ApplicationInsightsRefusesLocalAuthentication()
    {
        Assert.Equal("true", AppInsights.Text("properties.DisableLocalAuth"));
    }

    [Fact]
    public void ApplicationInsightsIsWorkspaceBased()
    {
        Assert.Equal("LogAnalytics", AppInsights.Text("properties.IngestionMode"));
        Assert.Matches(@"^\[resourceId\('Microsoft\.OperationalInsights/workspaces', .+\)\]$", AppInsights.Text("properties.WorkspaceResourceId"));
    }

    [Fact]
    public void ApplicationInsightsHasADailyCap()
    {
        var plan = template.Arm.Single("Microsoft.Insights/components/pricingPlans");
        var cap = decimal.Parse(template.Arm.Parameter("appInsightsDailyCapGb")["defaultValue"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.EndsWith(", 'current')]", plan.Text("name"), StringComparison.Ordinal);
        Assert.Equal("[json(parameters('appInsightsDailyCapGb'))]", plan.Text("properties.cap"));
        Assert.InRange(cap, 0.01m, 1m);
    }

    [Fact]
    public void LogsAreKeptAtLeast365Days()
    {
        var retention = template.Arm.Parameter("logRetentionInDays");

        Assert.Equal("[parameters('logRetentionInDays')]", Workspace.Text("properties.retentionInDays"));
        Assert.True(retention["defaultValue"]!.GetValue<int>() >= 365, "default retention under 365 days");
        Assert.True(retention["minValue"]!.GetValue<int>() >= 365, "retention can be set under 365 days");
    }

    [Fact]
    public void WorkspaceHasNoDailyQuotaThatWouldDropAuditLogs()
    {
        Assert.Equal("-1", Workspace.Text("properties.workspaceCapping.dailyQuotaGb"));
    }
}
