using System.Text.Json.Nodes;

namespace Serverless.Infra.Tests;

/// <summary>Personal data of children stays in Japan: every resource is in Japan East or Japan West.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class LocationTests(CompiledTemplate template)
{
    private const string LocationParameter = "[parameters('location')]";

    // Azure accepts only 'global' for these two types; they hold an alert rule and a recipient
    // address, no case data (see infra/modules/alerts.bicep).
    private static readonly string[] GlobalOnlyTypes = ["Microsoft.Insights/actionGroups", "Microsoft.Insights/activityLogAlerts"];

    [Fact]
    public void LocationParameterAllowsOnlyJapanEastAndJapanWest()
    {
        var location = template.Arm.Parameter("location");

        Assert.Equal(["japaneast", "japanwest"], location["allowedValues"]!.AsArray().Select(value => value!.GetValue<string>()));
        Assert.Equal("japaneast", location["defaultValue"]!.GetValue<string>());
    }

    [Fact]
    public void EveryRegionalResourceIsDeployedToTheLocationParameter()
    {
        var located = template.Arm.Resources.Where(resource => resource.Raw("location") is not null && !IsGlobalOnly(resource)).ToList();

        Assert.NotEmpty(located);
        Assert.All(located, resource => Assert.True(resource.Text("location") == LocationParameter, $"{resource} is in {resource.Text("location")}"));
    }

    [Fact]
    public void OnlyActionGroupsAndActivityLogAlertsAreGlobal()
    {
        var global = template.Arm.Resources.Where(resource => resource.Raw("location") is not null && IsGlobalOnly(resource)).ToList();

        Assert.Equal(3, global.Count); // the action group, the role-assignment alert and the control-plane alert
        Assert.All(global, resource => Assert.Equal("global", resource.Text("location")));
    }

    [Fact]
    public void LogAnalyticsWorkspaceIsInTheLocationParameter()
    {
        Assert.Equal(LocationParameter, template.Arm.Single("Microsoft.OperationalInsights/workspaces").Text("location"));
    }

    [Fact]
    public void EveryModuleIsGivenTheLocationParameterItself()
    {
        var modulesWithLocation = template.Arm.OfType("Microsoft.Resources/deployments")
            .Where(module => module.Json["properties"]?["parameters"]?["location"] is JsonObject)
            .ToList();

        Assert.NotEmpty(modulesWithLocation);
        Assert.All(modulesWithLocation, module => Assert.Equal(LocationParameter, module.ModuleParameter("location")!.GetValue<string>()));
    }

    private static bool IsGlobalOnly(Arm.ArmResource resource) =>
        GlobalOnlyTypes.Contains(resource.Type, StringComparer.OrdinalIgnoreCase);
}
