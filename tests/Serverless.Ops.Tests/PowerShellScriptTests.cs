namespace Serverless.Ops.Tests;

/// <summary>
/// The PowerShell twins: every ops/*.ps1 parses with PowerShell's own parser, and the scripts make the
/// same az calls as the bash ones against the same fake az.
/// </summary>
[Collection(PowerShellCollection.Name)]
public sealed class PowerShellScriptTests(PowerShell pwsh) : IDisposable
{
    private readonly FakeAzure azure = new();

    public void Dispose() => azure.Dispose();

    private static string ListVaults(string resourceGroup) => CaseSearchKeyTests.ListVaults(resourceGroup);

    private static string ShowSecret(string resourceGroup) => CaseSearchKeyTests.ShowSecret(resourceGroup);

    private static string Template => Path.Combine(RepositoryRoot.Path, "infra", "main.bicep");

    public static TheoryData<string> PowerShellScripts() => ScriptFiles.Matching("*.ps1");

    [Theory]
    [MemberData(nameof(PowerShellScripts))]
    public async Task ScriptParsesWithoutErrors(string script)
    {
        var path = RepositoryRoot.Script(script).Replace("'", "''", StringComparison.Ordinal);
        var result = await pwsh.RunCommandAsync(
            "$tokens = $null; $errors = $null; "
            + $"[void][System.Management.Automation.Language.Parser]::ParseFile('{path}', [ref]$tokens, [ref]$errors); "
            + "foreach ($e in $errors) { Write-Output (\"{0}:{1}: {2}\" -f $e.Extent.StartLineNumber, $e.Extent.StartColumnNumber, $e.Message) }; "
            + "exit $errors.Count");

        Assert.True(result.ExitCode == 0, $"ops/{script} does not parse:\n{result}");
    }

    [Theory]
    [MemberData(nameof(PowerShellScripts))]
    public void ScriptIsStrict(string script)
    {
        var text = File.ReadAllText(RepositoryRoot.Script(script));

        Assert.Contains("\nSet-StrictMode -Version Latest\n", text, StringComparison.Ordinal);
        Assert.Contains("\n$ErrorActionPreference = 'Stop'\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatIfCallsOnlyWhatIfAndNeitherCreatesNorPublishes()
    {
        azure.KeyExists();

        var result = await pwsh.RunScriptAsync(
            RepositoryRoot.Script("deploy.ps1"),
            ["-ResourceGroup", "rg-kodomo", "-NamePrefix", "midori", "-AlertEmail", "sec@town.example.lg.jp", "-WhatIf"],
            azure.Environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                ListVaults("rg-kodomo"),
                ShowSecret("rg-kodomo"),
                $"az deployment group what-if --resource-group rg-kodomo --template-file {Template} --parameters namePrefix=midori securityAlertEmail=sec@town.example.lg.jp location=japaneast",
            ],
            azure.Calls());
    }

    [Fact]
    public async Task DeployCreatesThenPublishesTheZipToTheAppNamedInTheOutputs()
    {
        azure.KeyExists();

        var result = await pwsh.RunScriptAsync(
            RepositoryRoot.Script("deploy.ps1"),
            ["-ResourceGroup", "rg-kodomo", "-NamePrefix", "midori", "-AlertEmail", "sec@town.example.lg.jp", "-Location", "japanwest"],
            azure.Environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = azure.Calls();
        Assert.True(calls.Count == 5, FakeAzure.Describe(calls));
        Assert.Equal([ListVaults("rg-kodomo"), ShowSecret("rg-kodomo")], calls.Take(2));
        Assert.Equal(
            $"az deployment group create --resource-group rg-kodomo --name main --template-file {Template} --parameters namePrefix=midori securityAlertEmail=sec@town.example.lg.jp location=japanwest --query properties.outputs -o json",
            calls[2]);
        Assert.StartsWith($"dotnet publish {Path.Combine(RepositoryRoot.Path, "functions", "Serverless.Functions")} -c Release -o ", calls[3], StringComparison.Ordinal);
        Assert.Matches(
            $"^az functionapp deployment source config-zip --resource-group rg-kodomo --name {FakeAzure.FunctionAppName} --src /\\S+/app\\.zip --build-remote false$",
            calls[4]);
        Assert.EndsWith($"API base URL: {FakeAzure.ApiBaseUrl}", result.StandardOutput.TrimEnd(), StringComparison.Ordinal);

        // The package holds the publish output's contents, host.json at its root (not inside a folder).
        using var package = System.IO.Compression.ZipFile.OpenRead(azure.PublishedZip);
        Assert.Contains("host.json", package.Entries.Select(entry => entry.FullName.TrimStart('.', '/')));
        Assert.Contains("Serverless.Functions.dll", package.Entries.Select(entry => entry.FullName.TrimStart('.', '/')));
    }

    [Fact]
    public async Task AnOutsideLocationIsRefusedBeforeAnyAzCall()
    {
        var result = await pwsh.RunScriptAsync(
            RepositoryRoot.Script("deploy.ps1"),
            ["-ResourceGroup", "rg", "-NamePrefix", "midori", "-AlertEmail", "s@t.jp", "-Location", "eastus", "-WhatIf"],
            azure.Environment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(azure.Calls());
    }

    [Fact]
    public async Task VerifyPassesAgainstAHealthyApiAndFailsWhenTheUnauthenticatedCallIsNot401()
    {
        await using var api = await FakeApi.StartAsync();
        string[] arguments = ["-ResourceGroup", "rg-kodomo", "-ApiBaseUrl", api.BaseUrl, "-StorageAccount", FakeAzure.StorageAccountName];

        var healthy = await pwsh.RunScriptAsync(RepositoryRoot.Script("verify.ps1"), arguments, azure.Environment);
        api.CasesStatus = 200;
        api.HealthStatus = 503;
        api.HealthBody = FakeApi.UnhealthyBody;
        var broken = await pwsh.RunScriptAsync(RepositoryRoot.Script("verify.ps1"), arguments, azure.Environment);

        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.Equal(5, healthy.StandardOutput.Split('\n').Count(line => line.StartsWith("OK ", StringComparison.Ordinal)));
        Assert.Contains(
            $"az storage container immutability-policy show --resource-group rg-kodomo --account-name {FakeAzure.StorageAccountName} --container-name audit-seals --query [immutabilityPeriodSinceCreationInDays, state] -o tsv",
            azure.Calls());
        Assert.Contains($"ops probe --account {FakeAzure.StorageAccountName} --timeout 120", azure.Calls());

        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("FAILED health: ", broken.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAILED unauthenticated: ", broken.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("answered 200, not 401", broken.StandardOutput, StringComparison.Ordinal);
    }
}
