using Serverless.Audit;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Audit.AuditTestHost;

namespace Serverless.Tests.Audit;

/// <summary>
/// The seal chain survives the ops backup and restore: hashes leave out <c>Timestamp</c> and ETag (which a
/// restore changes), so the restored trail verifies clean, and <c>audit seal</c> carries on from the last seal.
/// </summary>
public sealed class AuditRestoreTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("serverless-audit-restore-tests-").FullName;

    [Fact]
    public async Task ARestoredTrailVerifiesCleanAndSealingCarriesOnFromItsLastSeal()
    {
        await using var host = await StartAsync();
        await host.WriteScenarioAsync();
        await host.SealAllAsync();
        await host.Trail().RecordAsync(Coordinator, Request("req-after-seal"), AuditActions.CaseRead, null, AuditOutcome.Refused, CancellationToken.None);
        var keys = Path.Combine(work, "keys");
        var backups = Path.Combine(work, "backups");
        var target = TestStorage.NewPrefix();

        Assert.Equal(ExitCodes.Ok, (await RunAsync(null, "backup-key", "create", "--out", keys)).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await RunAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", Path.Combine(keys, "coordinator.pub.pem"), "--to-directory", backups)).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", backups, "--private-key", Path.Combine(keys, "coordinator.pem"))).ExitCode);
        var seal = await RunAsync(target, "audit", "seal");
        var verify = await RunAsync(target, "audit", "verify");

        Assert.Equal((ExitCodes.Ok, "Wrote 1 seal covering 1 entry; the chain ends at seal 2."), (seal.ExitCode, seal.Output.Trim()));
        Assert.Equal(
            (ExitCodes.Ok, "", "Checked 2 seals covering 7 entries, and 0 unsealed entries." + Environment.NewLine + "No findings: the audit trail matches its seals."),
            (verify.ExitCode, verify.Error, verify.Output.Trim()));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string? prefix, params string[] args)
        => OpsTool.RunAsync(prefix, args);
}
