namespace Serverless.Ops.Tests;

/// <summary>
/// ops/deploy.sh against a fake az: the exact az calls, in order. These are later deployments (the
/// case-search key exists, so no key is passed); the first deployment's key: <see cref="CaseSearchKeyTests"/>.
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private readonly FakeAzure azure = new();

    public DeployScriptTests() => azure.KeyExists();

    public void Dispose() => azure.Dispose();

    private string Template => Path.Combine(RepositoryRoot.Path, "infra", "main.bicep");

    private static string ListVaults(string resourceGroup) => CaseSearchKeyTests.ListVaults(resourceGroup);

    private static string ShowSecret(string resourceGroup) => CaseSearchKeyTests.ShowSecret(resourceGroup);

    private Task<ProcessResult> DeployAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("bash", [RepositoryRoot.Script("deploy.sh"), .. arguments], azure.Environment);

    [Fact]
    public async Task WhatIfCallsOnlyWhatIfAndNeitherCreatesNorPublishes()
    {
        var result = await DeployAsync("--resource-group", "rg-kodomo", "--name-prefix", "midori", "--alert-email", "sec@town.example.lg.jp", "--what-if");

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = azure.Calls();
        Assert.Equal(
            [
                ListVaults("rg-kodomo"),
                ShowSecret("rg-kodomo"),
                $"az deployment group what-if --resource-group rg-kodomo --template-file {Template} --parameters namePrefix=midori securityAlertEmail=sec@town.example.lg.jp location=japaneast",
            ],
            calls);
        Assert.Contains("+ Create", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployCreatesThenPublishesTheZipToTheAppNamedInTheOutputs()
    {
        var result = await DeployAsync("--resource-group", "rg-kodomo", "--name-prefix", "midori", "--alert-email", "sec@town.example.lg.jp");

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = azure.Calls();
        Assert.True(calls.Count == 5, FakeAzure.Describe(calls));
        Assert.Equal([ListVaults("rg-kodomo"), ShowSecret("rg-kodomo")], calls.Take(2));
        Assert.Equal(
            $"az deployment group create --resource-group rg-kodomo --name main --template-file {Template} --parameters namePrefix=midori securityAlertEmail=sec@town.example.lg.jp location=japaneast --query properties.outputs -o json",
            calls[2]);
        Assert.Matches(
            "^dotnet publish " + System.Text.RegularExpressions.Regex.Escape(Path.Combine(RepositoryRoot.Path, "functions", "Serverless.Functions")) + " -c Release -o (/\\S+)/app$",
            calls[3]);
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
    public async Task NoPublishCreatesOnly()
    {
        var result = await DeployAsync("-g", "rg-kodomo", "-p", "midori", "-e", "sec@town.example.lg.jp", "--no-publish");

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = azure.Calls();
        Assert.Equal(3, calls.Count);
        Assert.StartsWith("az deployment group create ", calls[2], StringComparison.Ordinal);
        Assert.Contains($"API base URL: {FakeAzure.ApiBaseUrl}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocationAndParametersFileArePassedWithTheCommandLineValuesLast()
    {
        var parametersFile = Path.Combine(azure.Directory, "town.parameters.json");
        await File.WriteAllTextAsync(parametersFile, """{ "parameters": { "allowedIpRanges": { "value": ["203.0.113.0/24"] } } }""");

        var result = await DeployAsync("-g", "rg", "-p", "midori", "-e", "s@t.jp", "--location", "japanwest", "--parameters-file", parametersFile, "--what-if");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                ListVaults("rg"),
                ShowSecret("rg"),
                $"az deployment group what-if --resource-group rg --template-file {Template} --parameters @{parametersFile} --parameters namePrefix=midori securityAlertEmail=s@t.jp location=japanwest",
            ],
            azure.Calls());
    }

    [Theory]
    [InlineData("--location", "eastus")]
    [InlineData("--name-prefix", "")]
    [InlineData("--unknown", "x")]
    public async Task BadArgumentsFailBeforeAnyAzCall(string option, string value)
    {
        List<string> arguments = ["-g", "rg", "-p", "midori", "-e", "s@t.jp", option, value];

        var result = await DeployAsync([.. arguments]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(azure.Calls());
    }

    [Fact]
    public async Task AFailedCreateStopsBeforePublishing()
    {
        // A deployment Azure refuses.
        azure.Environment["FAKE_AZ_CREATE_FAIL"] = "1";

        var result = await DeployAsync("-g", "rg", "-p", "midori", "-e", "s@t.jp");

        Assert.NotEqual(0, result.ExitCode);
        var calls = azure.Calls();
        Assert.Equal(3, calls.Count);
        Assert.StartsWith("az deployment group create ", calls[2], StringComparison.Ordinal);
    }
}
