using System.Text.Json;
using System.Text.RegularExpressions;

namespace Serverless.Ops.Tests;

/// <summary>
/// The case-search HMAC key is created on the first deployment and never passed again: deploy.sh and
/// deploy.ps1 each run every case against the same fake az, which answers the vault and secret
/// lookups (FAKE_AZ_VAULTS, FAKE_AZ_SECRET) and keeps a copy of every <c>--parameters @FILE</c> as it
/// was when az ran.
/// </summary>
/// <remarks>
/// What the fake cannot show: that Azure answers a missing secret with exit code 3 and a
/// "ResourceNotFound" message. The scripts rely on the Azure CLI turning every HTTP 404 into
/// ResourceNotFoundError, exit code 3 (azure-cli core <c>util.handle_exception</c>); anything else stops them.
/// </remarks>
[Collection(PowerShellCollection.Name)]
public sealed class CaseSearchKeyTests(PowerShell pwsh) : IDisposable
{
    private const string Group = "rg-kodomo";
    private const string Email = "sec@town.example.lg.jp";
    private const string NamedValues = $"--parameters namePrefix=midori securityAlertEmail={Email} location=japaneast";

    private readonly FakeAzure azure = new();

    public static TheoryData<string> Shells => ["bash", "pwsh"];

    public static TheoryData<string, string> LookupFailures()
    {
        var data = new TheoryData<string, string>();
        foreach (var shell in new[] { "bash", "pwsh" })
        {
            data.Add(shell, "not signed in");
            data.Add(shell, "secret read forbidden");
            data.Add(shell, "404 for the resource group");
        }

        return data;
    }

    private static string Template => Path.Combine(RepositoryRoot.Path, "infra", "main.bicep");

    private string TownParameters => Path.Combine(azure.Directory, "town.parameters.json");

    /// <summary>The vault lookup both scripts make first.</summary>
    internal static string ListVaults(string resourceGroup) =>
        $"az keyvault list --resource-group {resourceGroup} --resource-type vault --query [].name -o tsv";

    /// <summary>The secret lookup (ARM metadata, never the value) both scripts make when the vault exists.</summary>
    internal static string ShowSecret(string resourceGroup) =>
        $"az resource show --resource-group {resourceGroup} --namespace Microsoft.KeyVault --parent vaults/{FakeAzure.KeyVaultName} "
        + "--resource-type secrets --name case-search-hmac-key --api-version 2023-07-01 --query id -o tsv";

    public void Dispose() => azure.Dispose();

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AFirstDeploymentPassesOneNewKeyInAPrivateFileThatIsGoneAfterwards(string shell)
    {
        await File.WriteAllTextAsync(TownParameters, """{ "parameters": { "allowedIpRanges": { "value": ["203.0.113.0/24"] } } }""");

        var result = await DeployAsync(shell, parametersFile: TownParameters);

        Assert.True(result.ExitCode == 0, result.ToString());
        var keyFile = GeneratedKeyFile();
        Assert.Equal(
            [
                ListVaults(Group),
                $"az deployment group create --resource-group {Group} --name main --template-file {Template} --parameters @{TownParameters} --parameters @{keyFile.Path} {NamedValues} --query properties.outputs -o json",
            ],
            azure.Calls());
        var key = KeyIn(keyFile);
        AssertNeverShown(key, result);
        AssertPrivateAndGone(keyFile);
        Assert.Contains("case-search HMAC key was created", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AVaultWithoutTheSecretGetsANewKey(string shell)
    {
        // The vault is there (a first deployment that ran without the key), the secret is not: a 404.
        azure.Environment["FAKE_AZ_VAULTS"] = FakeAzure.KeyVaultName;
        azure.Environment["FAKE_AZ_SECRET"] = "missing";

        var result = await DeployAsync(shell);

        Assert.True(result.ExitCode == 0, result.ToString());
        var keyFile = GeneratedKeyFile();
        Assert.Equal(
            [
                ListVaults(Group),
                ShowSecret(Group),
                $"az deployment group create --resource-group {Group} --name main --template-file {Template} --parameters @{keyFile.Path} {NamedValues} --query properties.outputs -o json",
            ],
            azure.Calls());
        AssertNeverShown(KeyIn(keyFile), result);
        AssertPrivateAndGone(keyFile);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AnExistingKeyIsNeverPassedAgain(string shell)
    {
        // Other instances' vaults in the same group, one whose prefix starts like this one's.
        azure.Environment["FAKE_AZ_VAULTS"] = $"kv-other-abc123def4567\nkv-midori-x-abc123def45\n{FakeAzure.KeyVaultName}";
        azure.Environment["FAKE_AZ_SECRET"] = "exists";

        var result = await DeployAsync(shell);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                ListVaults(Group),
                ShowSecret(Group),
                $"az deployment group create --resource-group {Group} --name main --template-file {Template} {NamedValues} --query properties.outputs -o json",
            ],
            azure.Calls());
        Assert.Empty(azure.ParameterFiles());
        Assert.Contains($"exists in Key Vault {FakeAzure.KeyVaultName}: left as it is", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LookupFailures))]
    public async Task ALookupThatFailsForAnyOtherReasonStopsBeforeAnyDeployment(string shell, string failure)
    {
        switch (failure)
        {
            case "not signed in":
                azure.Environment["FAKE_AZ_VAULT_LIST_ERROR"] = "ERROR: Please run 'az login' to setup account.";
                break;
            case "secret read forbidden":
                azure.Environment["FAKE_AZ_VAULTS"] = FakeAzure.KeyVaultName;
                azure.Environment["FAKE_AZ_SECRET"] = "error";
                azure.Environment["FAKE_AZ_SECRET_ERROR"] =
                    "ERROR: (AuthorizationFailed) The client 'ops@town.example.lg.jp' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/read'.";
                break;
            default:
                // A 404 too (exit code 3), but for the group, not the secret: not a clear "no secret".
                azure.Environment["FAKE_AZ_VAULTS"] = FakeAzure.KeyVaultName;
                azure.Environment["FAKE_AZ_SECRET"] = "error";
                azure.Environment["FAKE_AZ_SECRET_EXIT"] = "3";
                azure.Environment["FAKE_AZ_SECRET_ERROR"] = $"ERROR: (ResourceGroupNotFound) Resource group '{Group}' could not be found.";
                break;
        }

        var result = await DeployAsync(shell);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(azure.Calls(), call => call.StartsWith("az deployment ", StringComparison.Ordinal));
        Assert.Empty(azure.ParameterFiles());
        Assert.Contains("Nothing was deployed", Unwrapped(result.StandardError), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task TwoVaultsWithThisInstancesNameStopBeforeAnyDeployment(string shell)
    {
        azure.Environment["FAKE_AZ_VAULTS"] = $"{FakeAzure.KeyVaultName}\nkv-midori-zzz999yyy8887";

        var result = await DeployAsync(shell);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal([ListVaults(Group)], azure.Calls());
        Assert.Contains("Nothing was deployed", Unwrapped(result.StandardError), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task WhatIfOnAFirstDeploymentPassesAKeyAndCallsOnlyWhatIf(string shell)
    {
        var result = await DeployAsync(shell, whatIf: true);

        Assert.True(result.ExitCode == 0, result.ToString());
        var keyFile = GeneratedKeyFile();
        Assert.Equal(
            [
                ListVaults(Group),
                $"az deployment group what-if --resource-group {Group} --template-file {Template} --parameters @{keyFile.Path} {NamedValues}",
            ],
            azure.Calls());
        AssertNeverShown(KeyIn(keyFile), result);
        AssertPrivateAndGone(keyFile);
        Assert.Contains("would create the case-search HMAC key", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AKeyInTheParametersFileIsRefusedWhenTheSecretExists(string shell)
    {
        azure.KeyExists();
        await File.WriteAllTextAsync(TownParameters, """{ "parameters": { "caseSearchHmacKey": { "value": "bm90IGEgcmVhbCBrZXksIGJ1dCBhbnkga2V5IGlzIHJlZnVzZWQ=" } } }""");

        var result = await DeployAsync(shell, parametersFile: TownParameters);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal([ListVaults(Group), ShowSecret(Group)], azure.Calls());
        Assert.Contains("Remove caseSearchHmacKey from", Unwrapped(result.StandardError), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AKeyInTheParametersFileIsTheOneUsedOnAFirstDeployment(string shell)
    {
        await File.WriteAllTextAsync(TownParameters, """{ "parameters": { "CaseSearchHmacKey": { "value": "kJ1Vn6Qm0mV9gq6r0c1M2mH3Yt6c0pZb1xQk8wq5dVE=" } } }""");

        var result = await DeployAsync(shell, parametersFile: TownParameters);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                ListVaults(Group),
                $"az deployment group create --resource-group {Group} --name main --template-file {Template} --parameters @{TownParameters} {NamedValues} --query properties.outputs -o json",
            ],
            azure.Calls());
        Assert.Equal([TownParameters], azure.ParameterFiles().Select(file => file.Path));
    }

    private Task<ProcessResult> DeployAsync(string shell, string? parametersFile = null, bool whatIf = false)
    {
        if (shell == "bash")
        {
            List<string> arguments = ["--resource-group", Group, "--name-prefix", "midori", "--alert-email", Email, "--no-publish"];
            if (parametersFile is not null)
            {
                arguments.AddRange(["--parameters-file", parametersFile]);
            }

            if (whatIf)
            {
                arguments.Add("--what-if");
            }

            return ProcessRunner.RunAsync("bash", [RepositoryRoot.Script("deploy.sh"), .. arguments], azure.Environment);
        }

        List<string> parameters = ["-ResourceGroup", Group, "-NamePrefix", "midori", "-AlertEmail", Email, "-NoPublish"];
        if (parametersFile is not null)
        {
            parameters.AddRange(["-ParametersFile", parametersFile]);
        }

        if (whatIf)
        {
            parameters.Add("-WhatIf");
        }

        return pwsh.RunScriptAsync(RepositoryRoot.Script("deploy.ps1"), parameters, azure.Environment);
    }

    /// <summary>
    /// An error message on one line: PowerShell's error view wraps a thrown message at the console
    /// width, each continuation line starting with "|".
    /// </summary>
    private static string Unwrapped(string standardError) =>
        Regex.Replace(standardError, @"\s*\r?\n\s*\|?\s*", " ");

    /// <summary>The one parameters file az got that the test did not write.</summary>
    private ParameterFile GeneratedKeyFile()
    {
        var generated = azure.ParameterFiles().Where(file => file.Path != TownParameters).ToList();
        return Assert.Single(generated);
    }

    private static string KeyIn(ParameterFile file)
    {
        Assert.NotNull(file.Content);
        using var json = JsonDocument.Parse(file.Content);
        var key = json.RootElement.GetProperty("parameters").GetProperty("caseSearchHmacKey").GetProperty("value").GetString();
        Assert.NotNull(key);
        Assert.Equal(32, Convert.FromBase64String(key).Length);
        return key;
    }

    /// <summary>Not on any command line (process lists show arguments) and never printed.</summary>
    private void AssertNeverShown(string key, ProcessResult result)
    {
        Assert.DoesNotContain(azure.Calls(), call => call.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain(key, result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>Readable by its owner alone while az ran, in a folder of its own, and deleted with it.</summary>
    private static void AssertPrivateAndGone(ParameterFile file)
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal("600", file.Mode);
            Assert.Equal("700", file.DirectoryMode);
        }

        Assert.False(File.Exists(file.Path), $"{file.Path} is still there");
        Assert.False(Directory.Exists(Path.GetDirectoryName(file.Path)), $"the folder of {file.Path} is still there");
    }
}
