using System.Text.Json.Nodes;
using Serverless.Infra.Tests.Arm;

namespace Serverless.Infra.Tests;

/// <summary>The API runs on Flex Consumption (FC1, Linux), .NET 10 isolated, on demand and small by default.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class FunctionAppTests(CompiledTemplate template)
{
    // FC1 refuses these: runtime and package come from functionAppConfig, and there is no content share.
    private static readonly string[] SettingsFlexRejects =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
        "linuxFxVersion",
    ];

    private ArmResource App => template.FunctionApp;

    [Fact]
    public void PlanIsFlexConsumptionFc1OnLinux()
    {
        var plan = template.Arm.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan.Text("sku.name"));
        Assert.Equal("FlexConsumption", plan.Text("sku.tier"));
        Assert.Equal("true", plan.Text("properties.reserved"));
        Assert.Equal("functionapp,linux", App.Text("kind"));
    }

    [Fact]
    public void AppRunsDotnetIsolated10()
    {
        Assert.Equal("dotnet-isolated", App.Text("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", App.Text("properties.functionAppConfig.runtime.version"));
    }

    [Fact]
    public void AppHasNoAlwaysReadyInstances()
    {
        var alwaysReady = App.Value("properties.functionAppConfig.scaleAndConcurrency.alwaysReady");

        Assert.True(alwaysReady is null || alwaysReady is JsonArray { Count: 0 }, $"alwaysReady is {alwaysReady?.ToJsonString()}");
    }

    [Fact]
    public void InstancesHave512MegabytesByDefault()
    {
        var memory = template.Arm.Parameter("instanceMemoryMB");

        Assert.Equal("[parameters('instanceMemoryMB')]", App.Text("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
        Assert.Equal(512, memory["defaultValue"]!.GetValue<int>());
        Assert.All(memory["allowedValues"]!.AsArray(), value => Assert.Contains(value!.GetValue<int>(), new[] { 512, 2048, 4096 }));
    }

    [Fact]
    public void MaximumInstanceCountDefaultsLow()
    {
        var maximum = template.Arm.Parameter("maximumInstanceCount");

        Assert.Equal("[parameters('maximumInstanceCount')]", App.Text("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));
        Assert.InRange(maximum["defaultValue"]!.GetValue<int>(), 1, 10);
    }

    [Fact]
    public void DeploymentContainerIsReachedWithTheUserAssignedIdentity()
    {
        const string storage = "properties.functionAppConfig.deployment.storage";

        Assert.Equal("blobContainer", App.Text($"{storage}.type"));
        Assert.Matches(CompiledTemplate.WholeOutputOf("storage", "deploymentContainerUrl"), App.Text($"{storage}.value"));
        Assert.Equal("UserAssignedIdentity", App.Text($"{storage}.authentication.type"));
        Assert.Matches(CompiledTemplate.WholeOutputOf("identity", "id"), App.Text($"{storage}.authentication.userAssignedIdentityResourceId"));
        Assert.Null(App.Raw($"{storage}.authentication.storageAccountConnectionStringName"));
    }

    [Fact]
    public void AppRunsAsTheUserAssignedIdentityOnly()
    {
        var identities = (JsonObject)App.Raw("identity.userAssignedIdentities")!;
        var onlyIdentity = Assert.Single(identities).Key;

        Assert.Equal("UserAssigned", App.Text("identity.type"));
        Assert.Matches(@$"^\[format\('\{{0\}}', {CompiledTemplate.OutputOf("identity", "id")}\)\]$", KeyOf(onlyIdentity));
        // Key Vault references resolve with this identity, not a (missing) system-assigned one.
        Assert.Matches(CompiledTemplate.WholeOutputOf("identity", "id"), App.Text("properties.keyVaultReferenceIdentity"));
    }

    [Fact]
    public void SettingsFlexConsumptionRejectsAreAbsent()
    {
        Assert.All(SettingsFlexRejects, name => Assert.DoesNotContain(name, template.Json, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("AzureWebJobsStorage", template.AppSettings.Keys);
    }

    [Fact]
    public void HostReachesStorageWithTheIdentityAndNoKey()
    {
        var settings = template.AppSettings;

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Matches(CompiledTemplate.WholeOutputOf("identity", "clientId"), settings["AzureWebJobsStorage__clientId"]);
        Assert.Matches(CompiledTemplate.WholeOutputOf("storage", "blobEndpoint"), settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Matches(CompiledTemplate.WholeOutputOf("storage", "queueEndpoint"), settings["AzureWebJobsStorage__queueServiceUri"]);
        Assert.Matches(CompiledTemplate.WholeOutputOf("storage", "tableEndpoint"), settings["AzureWebJobsStorage__tableServiceUri"]);
        Assert.DoesNotContain(settings.Values, value => value?.Contains("AccountKey", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public void AppClientsAreGivenTheIdentityClientIdAndTheServiceUris()
    {
        var settings = template.AppSettings;

        Assert.Equal(settings["AzureWebJobsStorage__clientId"], settings["Storage__ManagedIdentityClientId"]);
        Assert.Equal(settings["AzureWebJobsStorage__blobServiceUri"], settings["Storage__BlobServiceUri"]);
        Assert.Equal(settings["AzureWebJobsStorage__queueServiceUri"], settings["Storage__QueueServiceUri"]);
        Assert.Equal(settings["AzureWebJobsStorage__tableServiceUri"], settings["Storage__TableServiceUri"]);
        Assert.DoesNotContain("Storage__ConnectionString", settings.Keys);
    }

    [Fact]
    public void IdentityModuleOutputsTheIdentitysOwnClientId()
    {
        Assert.Matches(
            @"^\[reference\(resourceId\('Microsoft\.ManagedIdentity/userAssignedIdentities', .+\), '[0-9a-z-]+'\)\.clientId\]$",
            template.IdentityModule.ModuleOutput("clientId"));
    }

    [Fact]
    public void AppSettingsNeverEnableDevelopmentSignIn()
    {
        Assert.DoesNotContain(template.AppSettings.Keys, key => key.StartsWith("Authentication__Development", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Authentication__Development", template.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CaseSearchKeyIsAKeyVaultReference()
    {
        Assert.Matches(
            $@"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{{0\}}\)', {CompiledTemplate.OutputOf("keyvault", "caseSearchHmacKeySecretUri")}\)\]$",
            template.AppSettings["CaseSearch__HmacKey"]);
    }

    /// <summary>Webhooks stay off (no reference to a secret that may not exist yet, which would stop the app at start)
    /// until an inbox URL is given; then their key is a Key Vault reference too.</summary>
    [Fact]
    public void WebhookKeyIsAKeyVaultReferenceOnlyOnceAnInboxUrlIsGiven()
    {
        Assert.Matches(
            $@"^\[if\(empty\(parameters\('webhookInboxUrl'\)\), '', format\('@Microsoft\.KeyVault\(SecretUri=\{{0\}}\)', {CompiledTemplate.OutputOf("keyvault", "webhookEncryptionKeySecretUri")}\)\)\]$",
            template.AppSettings["Webhooks__EncryptionKey"]);
        Assert.Equal("[parameters('webhookInboxUrl')]", template.AppSettings["Webhooks__InboxUrl"]);
        Assert.Equal("[parameters('webhookInboxUrl')]", template.Arm.Module("functionapp").ModuleParameter("webhookInboxUrl")!.GetValue<string>());
        Assert.Equal("", template.Arm.Parameter("webhookInboxUrl")["defaultValue"]!.GetValue<string>());
    }

    [Fact]
    public void ApplicationInsightsTelemetryIsAuthenticatedWithTheIdentity()
    {
        var settings = template.AppSettings;

        Assert.Matches(
            $@"^\[format\('ClientId=\{{0\}};Authorization=AAD', {CompiledTemplate.OutputOf("identity", "clientId")}\)\]$",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Matches(CompiledTemplate.WholeOutputOf("monitoring", "applicationInsightsConnectionString"), settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.DoesNotContain("APPINSIGHTS_INSTRUMENTATIONKEY", settings.Keys);
    }

    [Fact]
    public void SignInTrustsTheTenantGivenAndNeverTheDevelopmentIssuer()
    {
        var settings = template.AppSettings;

        // v2.0 tokens of the municipality's tenant, by its object id; empty until a tenant is given.
        Assert.Contains("/v2.0/.well-known/openid-configuration", settings["Authentication__Issuers__entra__MetadataAddress"], StringComparison.Ordinal);
        Assert.Contains("parameters('entraTenantId')", settings["Authentication__Issuers__entra__MetadataAddress"], StringComparison.Ordinal);
        Assert.Contains("/v2.0", settings["Authentication__Issuers__entra__ValidIssuer"], StringComparison.Ordinal);
        Assert.Contains("parameters('apiAudience')", settings["Authentication__Issuers__entra__Audience"], StringComparison.Ordinal);
        Assert.Equal("oid", settings["Authentication__Issuers__entra__SubjectClaim"]);
        Assert.DoesNotContain(settings.Keys, key => key.StartsWith("Authentication__Development", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TokensMustBeForThisApiFromTheCouncilsClientsUnderAMicrosoftAuthority()
    {
        var settings = template.AppSettings;

        Assert.Equal("entra", settings["Authentication__Issuers__entra__Kind"]);
        Assert.Contains("parameters('apiScope')", settings["Authentication__Issuers__entra__RequiredScope"], StringComparison.Ordinal);
        Assert.Contains("parameters('allowedClientApplications')", settings["Authentication__Issuers__entra__AllowedClientApplications"], StringComparison.Ordinal);
        Assert.Contains("parameters('entraAuthorities')", settings["Authentication__EntraAuthorities"], StringComparison.Ordinal);
    }

    [Fact]
    public void ProfilerAndSnapshotDebuggerAreOff()
    {
        var settings = template.AppSettings;

        Assert.Equal("disabled", settings["APPINSIGHTS_PROFILERFEATURE_VERSION"]);
        Assert.Equal("disabled", settings["APPINSIGHTS_SNAPSHOTFEATURE_VERSION"]);
        Assert.DoesNotContain("DiagnosticServices_EXTENSION_VERSION", settings.Keys);
        Assert.DoesNotContain("SnapshotDebugger_EXTENSION_VERSION", settings.Keys);
    }

    [Fact]
    public void ScmSiteDeniesEveryoneOutsideTheAllowList()
    {
        var allowList = template.Arm.Parameter("allowedIpRanges");
        var loop = Assert.Single(App.Value("properties.siteConfig.copy")!.AsArray())!.AsObject();

        Assert.Equal("Deny", App.Text("properties.siteConfig.scmIpSecurityRestrictionsDefaultAction"));
        Assert.Equal("false", App.Text("properties.siteConfig.scmIpSecurityRestrictionsUseMain"));
        Assert.Equal("scmIpSecurityRestrictions", loop["name"]!.GetValue<string>());
        Assert.Equal("[length(parameters('allowedIpRanges'))]", loop["count"]!.GetValue<string>());
        Assert.Equal("Allow", loop["input"]!["action"]!.GetValue<string>());
        Assert.Equal("[parameters('allowedIpRanges')[copyIndex('scmIpSecurityRestrictions')]]", loop["input"]!["ipAddress"]!.GetValue<string>());
        Assert.Equal("array", allowList["type"]!.GetValue<string>());
        Assert.Empty(allowList["defaultValue"]!.AsArray());
        Assert.Null(App.Raw("properties.siteConfig.scmIpSecurityRestrictions"));
    }

    /// <summary>Access restrictions cannot single out /api/admin/..., so the app checks the same ranges itself: the
    /// template writes the scm allow-list's own parameter into the one setting the app reads, comma-separated.</summary>
    [Fact]
    public void AdminApiAllowsExactlyTheScmAllowList()
    {
        Assert.Equal("[join(parameters('allowedIpRanges'), ',')]", template.AppSettings["Administration__AllowedNetworks"]);
        Assert.Equal("[parameters('allowedIpRanges')]", template.Arm.Module("functionapp").ModuleParameter("allowedIpRanges")!.GetValue<string>());
    }

    /// <summary>The worker's forwarded-headers middleware already put the platform's entry into the connection
    /// address; one more hop would read an entry the client wrote (ClientAddressTests).</summary>
    [Fact]
    public void TheClientAddressIsTheConnectionAddressUnlessTheOperatorSaysOtherwise()
    {
        Assert.Equal("[string(parameters('trustedProxyHops'))]", template.AppSettings["Network__TrustedProxyHops"]);
        var hops = template.Arm.Parameter("trustedProxyHops");
        Assert.Equal((0, 0, 10), (hops["defaultValue"]!.GetValue<int>(), hops["minValue"]!.GetValue<int>(), hops["maxValue"]!.GetValue<int>()));
    }

    /// <summary>The first admin and coordinator come from the deployment's parameters; nobody needs a data role.</summary>
    [Fact]
    public void TheFirstAdminAndCoordinatorComeFromTheParameters()
    {
        var settings = template.AppSettings;

        Assert.Equal("entra", settings["Bootstrap__Issuer"]);
        Assert.Equal("[parameters('firstAdminObjectId')]", settings["Bootstrap__AdminSubject"]);
        Assert.Equal("[parameters('firstCoordinatorObjectId')]", settings["Bootstrap__CoordinatorSubject"]);
        Assert.Equal("[parameters('coordinatingAgencyId')]", settings["Bootstrap__AgencyId"]);
        Assert.Equal("[parameters('coordinatingAgencyName')]", settings["Bootstrap__AgencyName"]);
        Assert.All(
            ["firstAdminObjectId", "firstCoordinatorObjectId", "coordinatingAgencyId", "coordinatingAgencyName"],
            name => Assert.Equal("", template.Arm.Parameter(name)["defaultValue"]!.GetValue<string>()));
    }

    [Fact]
    public void BasicAuthPublishingIsOff()
    {
        var policies = template.Arm.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(2, policies.Count);
        Assert.Contains(policies, policy => policy.Text("name")!.EndsWith("'ftp')]", StringComparison.Ordinal));
        Assert.Contains(policies, policy => policy.Text("name")!.EndsWith("'scm')]", StringComparison.Ordinal));
        Assert.All(policies, policy => Assert.Equal("false", policy.Text("properties.allow")));
    }

    [Fact]
    public void AppServesOnlyHttpsWithTls12AndNoFtp()
    {
        Assert.Equal("true", App.Text("properties.httpsOnly"));
        Assert.Equal("1.2", App.Text("properties.siteConfig.minTlsVersion"));
        Assert.Equal("1.2", App.Text("properties.siteConfig.scmMinTlsVersion"));
        Assert.Equal("Disabled", App.Text("properties.siteConfig.ftpsState"));
    }

    [Fact]
    public void AppStartsOnlyAfterItsRolesExist()
    {
        var module = template.Arm.Module("functionapp");

        Assert.Contains(module.Raw("dependsOn")!.AsArray(), dependency => dependency!.GetValue<string>().Contains("'roles'", StringComparison.Ordinal));
    }

    [Fact]
    public void AppIsTaggedAsTheAzdServiceApi()
    {
        Assert.Contains("createObject('azd-service-name', 'api')", App.Text("tags"), StringComparison.Ordinal);
    }

    // Keys of a JSON object are not resolved by the helper: resolve this one the same way a value would be.
    private string KeyOf(string key) => new ArmResource(new JsonObject { ["key"] = key }, App.Scope).Text("key")!;
}
