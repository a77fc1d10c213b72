namespace Serverless.Ops.Tests;

/// <summary>
/// verify's <c>client-address</c> check, for verify.sh and verify.ps1 alike: the health answer's
/// <c>clientAddress</c>, asked plainly and with a forged <c>X-Forwarded-For: 192.0.2.1</c>, must be the
/// same real address; each way it can go wrong gives its own FAILED line and exit code 1.
/// </summary>
/// <remarks>
/// What these tests cannot show: which <c>Network__TrustedProxyHops</c> is right on Azure (how many
/// entries the front end appends, and what the worker's middleware leaves). That is what the check asks
/// the deployed app; here the fake API plays each answer the app could give.
/// </remarks>
[Collection(PowerShellCollection.Name)]
public sealed class ClientAddressCheckTests(PowerShell pwsh) : IAsyncLifetime
{
    private const string Forged = "192.0.2.1";

    private const string Unresolved =
        "the app cannot resolve your address: Network__TrustedProxyHops does not match this platform (the admin API then refuses everyone)";

    private const string Believed =
        "a forged X-Forwarded-For is believed: Network__TrustedProxyHops is too high for this platform; anyone could claim an allowed address";

    private readonly FakeAzure azure = new();
    private FakeApi api = null!;

    public static TheoryData<string> Shells => ["bash", "pwsh"];

    public async Task InitializeAsync() => api = await FakeApi.StartAsync();

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        azure.Dispose();
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task TheOkLineShowsTheAddressTheAppSees(string shell)
    {
        var result = await VerifyAsync(shell);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            $"OK     client-address: the app sees you as {FakeApi.DefaultClientAddress} (compare with your gateway's address; the admin API allow-list compares this)",
            Line(result, "client-address"));
        Assert.Equal(["GET /api/health auth=none", $"GET /api/health auth=none xff={Forged}"], HealthRequests());
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AnIPv6AddressInAnIndentedAnswerIsRead(string shell)
    {
        api.ClientAddress = "2001:db8::1";
        api.IndentsHealthAnswer = true;

        var result = await VerifyAsync(shell);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("OK     client-address: the app sees you as 2001:db8::1 (", Line(result, "client-address"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AnAddressTheAppCannotResolveIsFailed(string shell)
    {
        api.ClientAddressAnswer = ClientAddressAnswer.Null;

        var result = await VerifyAsync(shell);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"FAILED client-address: {Unresolved}", Line(result, "client-address"));
        AssertOnlyClientAddressFailed(result);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AHealthAnswerWithoutClientAddressIsFailedAsUnresolved(string shell)
    {
        api.ClientAddressAnswer = ClientAddressAnswer.Omitted;

        var result = await VerifyAsync(shell);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"FAILED client-address: {Unresolved} (the health answer has no clientAddress at all: if this app version predates it, deploy the current one and run verify again)",
            Line(result, "client-address"));
        AssertOnlyClientAddressFailed(result);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task ABelievedForgedForwardedForIsFailed(string shell)
    {
        api.ClientAddressAnswer = ClientAddressAnswer.LastForwardedFor;

        var result = await VerifyAsync(shell);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"FAILED client-address: {Believed} (with X-Forwarded-For: {Forged} the app saw {Forged})",
            Line(result, "client-address"));
        AssertOnlyClientAddressFailed(result);
        Assert.Equal(["GET /api/health auth=none", $"GET /api/health auth=none xff={Forged}"], HealthRequests());
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AnAddressThatChangesWithTheForgedHeaderIsFailed(string shell)
    {
        api.ClientAddressAnswer = ClientAddressAnswer.ChangesWhenForwarded;

        var result = await VerifyAsync(shell);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"FAILED client-address: {Believed} (the app saw you as {FakeApi.DefaultClientAddress} without the header and as {FakeApi.OtherClientAddress} "
            + $"with X-Forwarded-For: {Forged}; if your network reaches the Internet through several addresses, run verify again)",
            Line(result, "client-address"));
        AssertOnlyClientAddressFailed(result);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AnAppThatResolvesNobodyButBelievesTheForgeryIsFailedForBoth(string shell)
    {
        // What one hop too many would look like if the worker's middleware removed the front end's entry.
        api.ClientAddressAnswer = ClientAddressAnswer.LastForwardedFor;
        api.ClientAddress = null;

        var result = await VerifyAsync(shell);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"FAILED client-address: {Unresolved}; also {Believed} (with X-Forwarded-For: {Forged} the app saw {Forged})",
            Line(result, "client-address"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task AClientAddressThatIsNotAnAddressIsFailed(string shell)
    {
        api.ClientAddress = "fe80::1%eth0";

        var result = await VerifyAsync(shell);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("FAILED client-address: the health answer's clientAddress is not an address: fe80::1%eth0", Line(result, "client-address"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task WhenHealthFailsTheCheckSaysItDidNotRunAndSendsNoForgery(string shell)
    {
        api.HealthStatus = 503;
        api.HealthBody = FakeApi.UnhealthyBody;

        var result = await VerifyAsync(shell);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("FAILED health: ", Line(result, "health"), StringComparison.Ordinal);
        Assert.Equal(
            "FAILED client-address: not checked: it reads the health answer, which failed (see the health line)",
            Line(result, "client-address"));
        Assert.Equal(["GET /api/health auth=none"], HealthRequests());
    }

    private Task<ProcessResult> VerifyAsync(string shell) =>
        shell == "bash"
            ? ProcessRunner.RunAsync(
                "bash",
                [RepositoryRoot.Script("verify.sh"), "--resource-group", "rg-kodomo", "--api-base-url", api.BaseUrl, "--storage-account", FakeAzure.StorageAccountName],
                azure.Environment)
            : pwsh.RunScriptAsync(
                RepositoryRoot.Script("verify.ps1"),
                ["-ResourceGroup", "rg-kodomo", "-ApiBaseUrl", api.BaseUrl, "-StorageAccount", FakeAzure.StorageAccountName],
                azure.Environment);

    private List<string> HealthRequests()
    {
        lock (api.Requests)
        {
            return api.Requests.Where(request => request.StartsWith("GET /api/health ", StringComparison.Ordinal)).ToList();
        }
    }

    private static string Line(ProcessResult result, string check) =>
        result.StandardOutput.Split('\n').Select(line => line.TrimEnd('\r')).SingleOrDefault(line => line.Contains($" {check}: ", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No line for the {check} check:\n{result}");

    /// <summary>The other checks still pass, so one wrong hop count is reported once, on its own line.</summary>
    private static void AssertOnlyClientAddressFailed(ProcessResult result)
    {
        foreach (var check in new[] { "health", "unauthenticated", "queue", "worm" })
        {
            Assert.StartsWith("OK ", Line(result, check), StringComparison.Ordinal);
        }

        Assert.Contains("verify: 1 check(s) FAILED", result.StandardOutput, StringComparison.Ordinal);
    }
}
