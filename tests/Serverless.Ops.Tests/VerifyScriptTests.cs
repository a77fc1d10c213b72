namespace Serverless.Ops.Tests;

/// <summary>
/// ops/verify.sh against a local HTTP stand-in for the API, a fake az and a fake ops tool: one line per
/// check, OK or FAILED, and a non-zero exit when any check failed.
/// </summary>
public sealed class VerifyScriptTests : IAsyncLifetime
{
    private readonly FakeAzure azure = new();
    private FakeApi api = null!;

    public async Task InitializeAsync() => api = await FakeApi.StartAsync();

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        azure.Dispose();
    }

    private Task<ProcessResult> VerifyAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("bash", [RepositoryRoot.Script("verify.sh"), .. arguments], azure.Environment);

    private Task<ProcessResult> VerifyLocalApiAsync() =>
        VerifyAsync("--resource-group", "rg-kodomo", "--api-base-url", api.BaseUrl, "--storage-account", FakeAzure.StorageAccountName);

    private static string Line(ProcessResult result, string check) =>
        result.StandardOutput.Split('\n').SingleOrDefault(line => line.Contains($" {check}: ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No line for the {check} check:\n{result}");

    [Fact]
    public async Task AHealthyDeploymentPassesEveryCheck()
    {
        var result = await VerifyLocalApiAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var check in new[] { "health", "client-address", "unauthenticated", "queue", "worm" })
        {
            Assert.StartsWith("OK ", Line(result, check), StringComparison.Ordinal);
        }

        Assert.Equal(
            [
                $"ops probe --account {FakeAzure.StorageAccountName} --timeout 120",
                $"az storage container immutability-policy show --resource-group rg-kodomo --account-name {FakeAzure.StorageAccountName} --container-name audit-seals --query [immutabilityPeriodSinceCreationInDays, state] -o tsv",
            ],
            azure.Calls());
        Assert.Contains("GET /api/cases?status=registered auth=none", api.Requests);
        Assert.Contains("GET /api/health auth=none xff=192.0.2.1", api.Requests);
    }

    [Fact]
    public async Task WithoutAStorageAccountItComesFromTheDeploymentOutputs()
    {
        // The URL stays local (the outputs name a host that does not exist); the account comes from the outputs.
        var result = await VerifyAsync("--resource-group", "rg-kodomo", "--api-base-url", api.BaseUrl);

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = azure.Calls();
        Assert.Equal("az deployment group show --resource-group rg-kodomo --name main --query properties.outputs -o json", calls[0]);
        Assert.Contains($"ops probe --account {FakeAzure.StorageAccountName} --timeout 120", calls);
    }

    [Fact]
    public async Task HealthDownIsReportedAsFailedAndExitsNonZero()
    {
        api.HealthStatus = 503;
        api.HealthBody = FakeApi.UnhealthyBody;

        var result = await VerifyLocalApiAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("FAILED health: ", Line(result, "health"), StringComparison.Ordinal);
        Assert.Contains("503", Line(result, "health"), StringComparison.Ordinal);
        Assert.StartsWith("FAILED client-address: not checked: ", Line(result, "client-address"), StringComparison.Ordinal);
        Assert.StartsWith("OK ", Line(result, "unauthenticated"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHundredWithoutHealthyStatusIsFailed()
    {
        api.HealthBody = FakeApi.UnhealthyBody;

        var result = await VerifyLocalApiAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("FAILED health: ", Line(result, "health"), StringComparison.Ordinal);
        Assert.StartsWith("FAILED client-address: not checked: ", Line(result, "client-address"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoApiAtAllFailsEveryHttpCheck()
    {
        var url = api.BaseUrl;
        await api.DisposeAsync();

        var result = await VerifyAsync("--resource-group", "rg", "--api-base-url", url, "--storage-account", FakeAzure.StorageAccountName);

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("FAILED health: ", Line(result, "health"), StringComparison.Ordinal);
        Assert.StartsWith("FAILED client-address: not checked: ", Line(result, "client-address"), StringComparison.Ordinal);
        Assert.StartsWith("FAILED unauthenticated: ", Line(result, "unauthenticated"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(403)]
    [InlineData(500)]
    public async Task AnUnauthenticatedCallNotAnswered401IsFailed(int status)
    {
        api.CasesStatus = status;

        var result = await VerifyLocalApiAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("FAILED unauthenticated: ", Line(result, "unauthenticated"), StringComparison.Ordinal);
        Assert.Contains($"answered {status}, not 401", Line(result, "unauthenticated"), StringComparison.Ordinal);
        Assert.StartsWith("OK ", Line(result, "health"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProbeThatDoesNotCompleteIsFailed()
    {
        azure.Environment["FAKE_PROBE_EXIT"] = "1";

        var result = await VerifyLocalApiAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("FAILED queue: ", Line(result, "queue"), StringComparison.Ordinal);
        Assert.Contains("Probe not completed", Line(result, "queue"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingWormPolicyIsFailed()
    {
        azure.Environment["FAKE_AZ_WORM_FAIL"] = "1";

        var result = await VerifyLocalApiAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("FAILED worm: ", Line(result, "worm"), StringComparison.Ordinal);
        Assert.Contains("ContainerNotFound", Line(result, "worm"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AZeroDayPolicyIsFailed()
    {
        azure.Environment["FAKE_AZ_WORM"] = "0\tUnlocked";

        var result = await VerifyLocalApiAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("FAILED worm: ", Line(result, "worm"), StringComparison.Ordinal);
    }
}
