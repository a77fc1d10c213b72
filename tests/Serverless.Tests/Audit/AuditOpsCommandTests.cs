using Azure;
using Serverless.Audit;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Audit.AuditTestHost;

namespace Serverless.Tests.Audit;

/// <summary>
/// <c>serverless-ops audit seal</c> and <c>audit verify</c> in-process against Azurite, on the storage a test
/// host created. The tool runs on the real clock; the host's entries are days old, so they are settled.
/// </summary>
public sealed class AuditOpsCommandTests
{
    [Fact]
    public async Task SealThenVerifyOnACleanTrailExitsZero()
    {
        await using var host = await StartAsync();
        await host.WriteScenarioAsync();

        var seal = await RunAsync(host, "audit", "seal");
        var verify = await RunAsync(host, "audit", "verify");

        Assert.Equal((ExitCodes.Ok, "", ""), (seal.ExitCode, seal.Error, verify.Error));
        Assert.Equal(["Wrote 1 seal covering 6 entries; the chain ends at seal 1."], Lines(seal.Output));
        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
        Assert.Equal(
            [
                "Checked 1 seal covering 6 entries, and 0 unsealed entries.",
                "No findings: the audit trail matches its seals.",
            ],
            Lines(verify.Output));
    }

    [Fact]
    public async Task VerifyOfATamperedTrailExitsThreeAndPrintsEachFinding()
    {
        await using var host = await StartAsync();
        var scenario = await host.WriteScenarioAsync();
        await host.SealAllAsync();
        await host.LogTable().DeleteEntityAsync(AuditEntryIds.DayOf(scenario.ListIntent), scenario.ListIntent, ETag.All);
        await host.ByCaseTable().DeleteEntityAsync(scenario.CaseA, scenario.ReadOutcome, ETag.All);

        var (exitCode, output, error) = await RunAsync(host, "audit", "verify");

        Assert.Equal((ExitCodes.AuditFindings, ""), (exitCode, error));
        var entryColumn = Math.Max("ENTRY".Length, scenario.ListIntent.Length);
        Assert.Equal(
            [
                "Checked 1 seal covering 6 entries, and 0 unsealed entries.",
                "2 findings: deleted 1, index-missing 1.",
                $"KIND           SEAL  {"ENTRY".PadRight(entryColumn)}  DETAIL",
                $"index-missing  1     {scenario.ReadOutcome}  no AuditByCase row for case {scenario.CaseA}",
                $"deleted        1     {scenario.ListIntent}  the sealed entry is missing",
            ],
            Lines(output));
    }

    [Fact]
    public async Task VerifyWithoutTheAppsStorageFailsWithAHint()
    {
        var error = new StringWriter();

        var exitCode = await OpsApp.RunAsync(
            ["audit", "verify", "--connection-string", TestStorage.ConnectionString, "--name-prefix", TestStorage.NewPrefix()], new StringWriter(), error);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.StartsWith("Storage answered 404", Lines(error.ToString())[0], StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(TestHost host, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await OpsApp.RunAsync(
            [.. args, "--connection-string", TestStorage.ConnectionString, "--name-prefix", host.Prefix], output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
