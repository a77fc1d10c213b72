using Azure.Storage.Blobs;
using Serverless.Audit;
using Serverless.Cases.Disposal;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Disposal;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Reliability.Faults;
using Xunit.Abstractions;

namespace Serverless.Tests.Reliability.Crashes;

/// <summary>
/// The DisposalRun handler (disposals: an approved case erased from every store, the register line written, the disposal
/// marked disposed, the run audited, the register line copied to the backup container) killed before and after its steps,
/// a new host process finishing the work: nothing of the case is left, the register holds it once, its backup copy is
/// there, the run is audited as succeeded exactly once, nothing is in poison, the audit chain verifies.
/// </summary>
public sealed class DisposalRunCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AHostKilledBeforeOrAfterAStepOfADisposalRunLeavesTheCaseErasedAndRegisteredOnceAfterRestart()
    {
        var backupContainer = "crash-backups-" + Guid.NewGuid().ToString("N")[..12];
        await using var faults = StorageFaults.Start();
        await using var api = await CaseApi.StartAsync(settings: new Dictionary<string, string>
        {
            ["Disposal:ExecutionDelay"] = "00:00:00",
            ["Backup:ConnectionString"] = TestStorage.ConnectionString,
            ["Backup:Container"] = backupContainer,
        });
        var backups = new BlobContainerClient(TestStorage.ConnectionString, backupContainer);
        var disposals = api.Host.Get<Disposals>();
        var eraser = api.Host.Get<CaseEraser>();
        var disposed = new HashSet<string>();
        var openIntents = 0;

        var scenario = new CrashScenario(
            "DisposalRun",
            DisposalQueue.Name,
            async caseId =>
            {
                await api.ApprovedAsync(caseId!);
                disposed.Add(caseId!);
                return caseId!;
            },
            async caseId =>
            {
                var disposal = (await disposals.FindAsync(caseId, CancellationToken.None))!.Value.Disposal;
                Assert.Equal(DisposalState.Disposed, disposal.State);
                var left = (await eraser.PlanAsync(caseId, CancellationToken.None)).Where(count => count.Count > 0).Select(count => $"{count.Store}: {count.Count}").ToList();
                Assert.True(left.Count == 0, "left of the case: " + string.Join(", ", left));

                // Once: a retried run must not register the case twice, nor audit two successful runs.
                Assert.Single(await disposals.RegisterAsync(CancellationToken.None), entry => entry.CaseId == caseId);
                Assert.True(await backups.GetBlobClient(DisposalRegisterCopy.BlobName(caseId)).ExistsAsync(), "the register line was not copied to the backup container");
                var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, 100, null, CancellationToken.None)).Page.Entries;
                Assert.Single(audit, entry => entry.Action == AuditActions.OpsDisposalRun && entry.Outcome == nameof(AuditOutcome.Succeeded));
                // A run killed between its intent and its outcome leaves that intent open, reported by the verifier by design; the
                // retry's own intent and outcome follow. Anything else (or an open intent of something else) fails.
                openIntents = await AuditChain.AssertVerifiesAsync(api.Host, intent => intent.Action == AuditActions.OpsDisposalRun && disposed.Contains(intent.CaseId ?? ""));
            })
        {
            PrepareAsync = () => api.ClosedCaseAsync(),
        };

        using var loop = new CrashLoop(output, faults, api.Host.Prefix, new Dictionary<string, string>
        {
            ["Backup:ConnectionString"] = faults.ConnectionString,
            ["Backup:Container"] = backupContainer,
        });
        // Always the disposed mark: killed right after it, an earlier version never audited the run as succeeded.
        var steps = await loop.RunAsync(scenario, calibrated => loop.Sample(calibrated, sample: 10, always: step => step.Contains("PUT", StringComparison.Ordinal) && step.Contains("Disposals(PartitionKey='disposal'", StringComparison.Ordinal)));
        Assert.Contains(steps, step => step.Contains(backupContainer, StringComparison.Ordinal));
        output.WriteLine($"DisposalRun: {openIntents} open intents of killed runs (reported by the verifier, as designed)");
    }
}
