using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Cases.Disposal;
using Serverless.Cases.Listing;
using Serverless.Cases.Storage;
using Serverless.Health;
using Serverless.Ops;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Disposal;

/// <summary>
/// <c>serverless-ops disposal plan</c> and <c>disposal run</c>, in-process against Azurite: the plan changes
/// nothing, the run deletes every copy of the case (and nothing of any other case), can be run again after an
/// interruption, leaves the register and the audit chain intact, and a restore never brings the case back.
/// </summary>
public sealed class DisposalRunTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("serverless-disposal-tests-").FullName;

    private string Backups => Path.Combine(work, "backups");

    /// <summary>An approved disposal of a case that left rows everywhere a case can: versions, pointers, search
    /// keys, a break-glass grant and the coordinators' inbox rows it caused, an activity row, a released legal
    /// hold, and a blob under its prefix, overwritten once (an older version in Azure; Azurite keeps no versions).
    /// A second case, untouched, sits beside it.</summary>
    internal static async Task<(string Disposed, string Kept)> ArrangeAsync(CaseApi api)
    {
        var disposed = await api.ClosedCaseAsync();
        var kept = await api.ClosedCaseAsync();
        await OpenBreakGlassAsync(api, disposed);
        await OpenBreakGlassAsync(api, kept);
        await api.Host.Get<Serverless.Cases.Activity.CaseActivityLog>().RecordAsync(disposed, Serverless.Cases.Activity.CaseActivityKind.Report, CancellationToken.None);
        // Entries: a report sent with an Idempotency-Key (its completion record and in-flight mark stay in the
        // case's partition) and a reply to it.
        using (var report = await Serverless.Tests.Entries.EntryApi.SubmitReportAsync(api, disposed, Serverless.Tests.Entries.EntryApi.Report(), idempotencyKey: "arranged-report"))
        {
            Assert.Equal(HttpStatusCode.Created, report.StatusCode);
            var reportId = (string)(await CaseApi.BodyAsync(report))["entryId"]!;
            await Serverless.Tests.Entries.EntryApi.CommentIdAsync(api, disposed, new System.Text.Json.Nodes.JsonObject { ["text"] = "確認しました", ["inReplyTo"] = reportId });
        }

        using (var held = await api.HoldAsync(disposed))
        {
            await api.ReleasedAsync(disposed);
        }

        var container = api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(HealthService.Container));
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient($"cases/{disposed}/attachment.pdf").UploadAsync(BinaryData.FromString("first"), overwrite: true);
        await container.GetBlobClient($"cases/{disposed}/attachment.pdf").UploadAsync(BinaryData.FromString("second"), overwrite: true);
        await container.GetBlobClient($"cases/{kept}/attachment.pdf").UploadAsync(BinaryData.FromString("kept"), overwrite: true);
        await api.ApprovedAsync(disposed);
        return (disposed, kept);
    }

    private static async Task OpenBreakGlassAsync(CaseApi api, string caseId)
    {
        using var opened = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/break-glass", "jisou-ito", CaseApi.Json(new JsonObject { ["reason"] = "夜間の緊急対応" }));
        Assert.True(opened.StatusCode == HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ThePlanListsWhatWouldGoAndChangesNothing()
    {
        await using var api = await CaseApi.StartAsync();
        var (disposed, _) = await ArrangeAsync(api);
        var before = await SnapshotAsync(api.Host);

        var (code, output, error) = await RunAsync(api.Host, "disposal", "plan");

        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(before, await SnapshotAsync(api.Host));
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Case {disposed}: proposed by {Serverless.DevHost.DemoPeople.PersonId(DisposalApi.Proposer)}, approved by {Serverless.DevHost.DemoPeople.PersonId(DisposalApi.Approver)}, rule: みどり市文書管理規程第12条", lines[0]);
        Assert.Equal("  the app runs it after: 2025-06-17 00:30:00 JST", lines[1]); // approved at CaseApi.Now (JST) + Disposal:ExecutionDelay, 1 day
        Assert.Contains("  Cases: 12", lines); // current, versions 1 and 2, activity; the timeline's registration and closure; a report and a comment (head and version each); the report's idempotency record and mark
        Assert.Contains("  CaseIndex: 3", lines); // status, lead agency, key agency
        Assert.Contains("  ChildIndex: 3", lines);
        Assert.Contains("  BreakGlassGrants: 1", lines);
        Assert.Contains("  Notifications: 2", lines); // both coordinators told of the opening
        Assert.Contains("  LegalHolds: 1", lines); // the released hold
        Assert.Contains("  blob:health: 1", lines);
        Assert.Equal("1 approved disposal(s); nothing was changed (dry run).", lines[^1]);
        Assert.DoesNotContain("試験", output, StringComparison.Ordinal); // ids and counts only, never contents
    }

    [Fact]
    public async Task TheRunDeletesEveryCopyOfTheCaseAndLeavesTheRegister()
    {
        await using var api = await CaseApi.StartAsync();
        var (disposed, kept) = await ArrangeAsync(api);
        Directory.CreateDirectory(Backups);
        var keptBefore = await CaseRowsAsync(api.Host, kept);

        var (code, output, error) = await RunAsync(api.Host, "disposal", "run", "--backup-directory", Backups);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.StartsWith($"Case {disposed} disposed of at ", output, StringComparison.Ordinal);
        Assert.All(await api.Host.Get<CaseEraser>().PlanAsync(disposed, CancellationToken.None), count => Assert.True(count.Count == 0, $"{count.Store}: {count.Count} left"));
        await CaseApi.ProblemAsync(await api.GetAsync(disposed), Serverless.Problems.ProblemCatalogue.NotFound);
        Assert.Equal(keptBefore, await CaseRowsAsync(api.Host, kept));
        using var keptRead = await api.GetAsync(kept);
        Assert.Equal(HttpStatusCode.OK, keptRead.StatusCode);
        var container = api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(HealthService.Container));
        Assert.True((await container.GetBlobClient($"cases/{kept}/attachment.pdf").ExistsAsync()).Value);
        Assert.False((await container.GetBlobClient($"cases/{disposed}/attachment.pdf").ExistsAsync()).Value);

        var disposal = (await api.Host.Get<Disposals>().FindAsync(disposed, CancellationToken.None))!.Value.Disposal;
        Assert.Equal(DisposalState.Disposed, disposal.State);
        Assert.NotNull(disposal.DisposedAt);
        var register = Assert.Single(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None));
        Assert.Equal(new DisposalRegisterEntry(disposed, disposal.DisposedAt!.Value, disposal.ProposedBy, disposal.ApprovedBy!, "みどり市文書管理規程第12条"), register);
        Assert.Contains(disposed, await File.ReadAllTextAsync(Path.Combine(Backups, "disposal-register.jsonl")), StringComparison.Ordinal);

        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(disposed, 100, null, CancellationToken.None)).Page.Entries;
        var run = Assert.Single(audit, entry => entry.Action == AuditActions.OpsDisposalRun && entry.Outcome == nameof(AuditOutcome.Succeeded));
        Assert.Equal(("System", DisposalRunner.ActorId), (run.ActorKind, run.ActorId));
        Assert.Contains(audit, entry => entry.Action == AuditActions.DisposalPropose); // the trail of the case stays

        var (again, againOutput, _) = await RunAsync(api.Host, "disposal", "run", "--backup-directory", Backups);
        Assert.Equal(ExitCodes.Ok, again);
        Assert.StartsWith("0 case(s) disposed of, 0 not run", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunInterruptedHalfwayIsFinishedByTheNextRun()
    {
        await using var api = await CaseApi.StartAsync();
        var (disposed, _) = await ArrangeAsync(api);
        Directory.CreateDirectory(Backups);
        // As if a run had stopped after deleting the current row and the list pointers, and, in a second
        // attempt, after deleting a version row too: the disposal is still approved.
        var eraser = api.Host.Get<CaseEraser>();
        var cases = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName));
        await cases.DeleteEntityAsync(disposed, CaseEntity.CurrentRow, ETag.All);
        var pointers = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(CaseIndex.TableName));
        await foreach (var pointer in pointers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CaseId eq {disposed}")))
        {
            await pointers.DeleteEntityAsync(pointer.PartitionKey, pointer.RowKey, ETag.All);
        }

        await cases.DeleteEntityAsync(disposed, CaseEntity.VersionRow(1), ETag.All);
        var plan = await eraser.PlanAsync(disposed, CancellationToken.None);
        Assert.Equal(0, plan.Single(count => count.Store == CaseIndex.TableName).Count);
        Assert.Equal(10, plan.Single(count => count.Store == CaseStore.TableName).Count); // version 2, activity, and the eight rows of entries

        var (code, output, error) = await RunAsync(api.Host, "disposal", "run", "--backup-directory", Backups);

        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.StartsWith($"Case {disposed} disposed of at ", output, StringComparison.Ordinal);
        Assert.All(await eraser.PlanAsync(disposed, CancellationToken.None), count => Assert.True(count.Count == 0, $"{count.Store}: {count.Count} left"));
        Assert.Equal(DisposalState.Disposed, (await api.Host.Get<Disposals>().FindAsync(disposed, CancellationToken.None))!.Value.Disposal.State);

        // The erasure itself, repeated after it finished, finds nothing and fails on nothing.
        Assert.All(await eraser.EraseAsync(disposed, CancellationToken.None), count => Assert.Equal(0, count.Count));
    }

    [Fact]
    public async Task AHeldCaseIsNotDisposedOfEvenWhenApproved()
    {
        await using var api = await CaseApi.StartAsync();
        var (disposed, _) = await ArrangeAsync(api);
        using var held = await api.HoldAsync(disposed);
        Directory.CreateDirectory(Backups);

        var (plan, planOutput, _) = await RunAsync(api.Host, "disposal", "plan");
        var (code, output, _) = await RunAsync(api.Host, "disposal", "run", "--backup-directory", Backups);

        Assert.Equal(ExitCodes.Ok, plan);
        Assert.Contains("  not run now: held", planOutput, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"Case {disposed} not disposed of: held", output, StringComparison.Ordinal);
        using var read = await api.GetAsync(disposed);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Empty(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AWithdrawnDisposalIsNotRun()
    {
        await using var api = await CaseApi.StartAsync();
        var (disposed, _) = await ArrangeAsync(api);
        using var withdrawn = await api.WithdrawAsync(disposed);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Directory.CreateDirectory(Backups);

        var (plan, planOutput, _) = await RunAsync(api.Host, "disposal", "plan");
        var (code, output, _) = await RunAsync(api.Host, "disposal", "run", "--backup-directory", Backups);

        Assert.Equal((ExitCodes.Ok, "No approved disposals."), (plan, planOutput.Trim()));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith("0 case(s) disposed of, 0 not run", output, StringComparison.Ordinal);
        using var read = await api.GetAsync(disposed);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task TheAuditChainVerifiesCleanAfterADisposal()
    {
        await using var api = await CaseApi.StartAsync();
        var (disposed, _) = await ArrangeAsync(api);
        await SealAsync(api.Host);

        var results = await api.Host.Get<DisposalRunner>().RunAsync(CancellationToken.None);
        await SealAsync(api.Host);
        var report = await api.Host.Get<AuditVerifier>().VerifyAsync(CancellationToken.None);

        Assert.Equal(disposed, Assert.Single(results).CaseId);
        Assert.True(report.Clean, string.Join(Environment.NewLine, report.Findings));
        Assert.True(report.SealedEntries > 0);
    }

    [Fact]
    public async Task ARestoreNeverBringsADisposedCaseBack()
    {
        await using var api = await CaseApi.StartAsync();
        var (disposed, kept) = await ArrangeAsync(api);
        var keys = Path.Combine(work, "keys");
        Assert.Equal(ExitCodes.Ok, (await RunAsync((string?)null, "backup-key", "create", "--out", keys)).ExitCode);
        var (backup, _, backupError) = await RunAsync(api.Host, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", Path.Combine(keys, "coordinator.pub.pem"), "--to-directory", Backups);
        Assert.True(backup == ExitCodes.Ok, backupError);
        var (run, _, runError) = await RunAsync(api.Host, "disposal", "run", "--backup-directory", Backups);
        Assert.True(run == ExitCodes.Ok, runError);

        var target = TestStorage.NewPrefix();
        var (code, output, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--private-key", Path.Combine(keys, "coordinator.pem"));

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("Disposal register re-applied: 1 disposed case(s) deleted again.", output, StringComparison.Ordinal);
        var clients = TestStorage.Clients(target);
        var names = TestStorage.Names(target);
        var restoredCases = clients.Tables.GetTableClient(names.Table(CaseStore.TableName));
        Assert.Empty(await restoredCases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {disposed}")).ToListAsync());
        Assert.NotEmpty(await restoredCases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {kept}")).ToListAsync());
        foreach (var table in new[] { CaseIndex.TableName, Serverless.Notifications.NotificationInbox.TableName })
        {
            Assert.Empty(await clients.Tables.GetTableClient(names.Table(table)).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CaseId eq {disposed}")).ToListAsync());
        }

        Assert.Empty(await clients.Tables.GetTableClient(names.Table(Serverless.Cases.Search.ChildIndex.TableName)).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {disposed}")).ToListAsync());
        Assert.Empty(await clients.Blobs.GetBlobContainerClient(names.Container(HealthService.Container)).GetBlobsAsync(new GetBlobsOptions { Prefix = $"cases/{disposed}/" }).ToListAsync());
        var register = await clients.Tables.GetTableClient(names.Table(Disposals.TableName)).GetEntityIfExistsAsync<TableEntity>(Disposals.RegisterPartition, disposed);
        Assert.True(register.HasValue);
        Assert.Equal("みどり市文書管理規程第12条", register.Value!.GetString("RuleReference"));
    }

    [Fact]
    public async Task RestoringAnOlderBackupDoesNotBringBackACaseDisposedAfterIt()
    {
        // Backup 1 holds the case; it is disposed; backup 2 holds the register. No register file is kept
        // next to the backups (as with the app's container backups): the newest backup's register must do.
        await using var api = await CaseApi.StartAsync();
        var (disposed, kept) = await ArrangeAsync(api);
        var keys = Path.Combine(work, "keys");
        Assert.Equal(ExitCodes.Ok, (await RunAsync((string?)null, "backup-key", "create", "--out", keys)).ExitCode);
        var publicKey = Path.Combine(keys, "coordinator.pub.pem");
        Assert.Equal(ExitCodes.Ok, (await RunAsync(api.Host, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", publicKey, "--to-directory", Backups)).ExitCode);
        var older = Directory.GetDirectories(Backups).Select(Path.GetFileName).Single()!;
        var elsewhere = Directory.CreateDirectory(Path.Combine(work, "register-elsewhere")).FullName;
        var (run, _, runError) = await RunAsync(api.Host, "disposal", "run", "--backup-directory", elsewhere);
        Assert.True(run == ExitCodes.Ok, runError);
        await Task.Delay(1100); // backup ids are times
        Assert.Equal(ExitCodes.Ok, (await RunAsync(api.Host, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", publicKey, "--to-directory", Backups)).ExitCode);
        Assert.False(File.Exists(Path.Combine(Backups, "disposal-register.jsonl")));

        var target = TestStorage.NewPrefix();
        var (code, output, error) = await RunAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-directory", Backups, "--backup-id", older, "--private-key", Path.Combine(keys, "coordinator.pem"));

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("Disposal register re-applied: 1 disposed case(s) deleted again.", output, StringComparison.Ordinal);
        var restoredCases = TestStorage.Clients(target).Tables.GetTableClient(TestStorage.Names(target).Table(CaseStore.TableName));
        Assert.Empty(await restoredCases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {disposed}")).ToListAsync());
        Assert.NotEmpty(await restoredCases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {kept}")).ToListAsync());
    }

    [Fact]
    public async Task ReapplyDeletesADisposedCaseThatCameBack()
    {
        await using var api = await CaseApi.StartAsync();
        var (disposed, _) = await ArrangeAsync(api);
        Directory.CreateDirectory(Backups);
        Assert.Equal(ExitCodes.Ok, (await RunAsync(api.Host, "disposal", "run", "--backup-directory", Backups)).ExitCode);
        // As if an old copy of the case had come back (a restore stopped before it re-applied the register).
        var cases = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName));
        await cases.AddEntityAsync(new TableEntity(disposed, CaseEntity.CurrentRow) { ["Version"] = 1L });
        await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(Disposals.TableName)).DeleteEntityAsync(Disposals.RegisterPartition, disposed);

        var (code, output, error) = await RunAsync(api.Host, "disposal", "reapply", "--backup-directory", Backups);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal("Disposal register re-applied: 1 disposed case(s) deleted again.", output.Trim());
        Assert.Empty(await cases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {disposed}")).ToListAsync());
        Assert.Single(await api.Host.Get<Disposals>().RegisterAsync(CancellationToken.None)); // back from the copy next to the backups
        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(disposed, 100, null, CancellationToken.None)).Page.Entries;
        Assert.Contains(audit, entry => entry.Action == AuditActions.OpsDisposalReapply && entry.Outcome == nameof(AuditOutcome.Succeeded));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static async Task SealAsync(TestHost host)
    {
        host.Clock!.Advance(TimeSpan.FromMinutes(6));
        await host.Get<AuditSealer>().SealAsync(CancellationToken.None);
    }

    internal static async Task<List<string>> CaseRowsAsync(TestHost host, string caseId)
    {
        var rows = new List<string>();
        await foreach (var row in host.Storage.Tables.GetTableClient(host.Names.Table(CaseStore.TableName)).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")))
        {
            rows.Add(row.RowKey + "|" + row.ETag);
        }

        return rows;
    }

    /// <summary>Every entity of every declared table (keys, ETag, every property) and every blob with its versions
    /// and content, one sorted line each.</summary>
    private static async Task<List<string>> SnapshotAsync(TestHost host)
    {
        var declared = host.Get<IOptions<StorageResources>>().Value;
        var lines = new List<string>();
        foreach (var table in declared.Tables)
        {
            await foreach (var entity in host.Storage.Tables.GetTableClient(host.Names.Table(table)).QueryAsync<TableEntity>())
            {
                var properties = entity.OrderBy(property => property.Key, StringComparer.Ordinal).Select(property => $"{property.Key}={Convert.ToString(property.Value, CultureInfo.InvariantCulture)}");
                lines.Add($"{table}|{entity.PartitionKey}|{entity.RowKey}|{entity.ETag}|{string.Join("|", properties)}");
            }
        }

        foreach (var container in declared.Containers)
        {
            var client = host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(container));
            if (!(await client.ExistsAsync()).Value)
            {
                continue;
            }

            await foreach (var item in client.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.Version | BlobStates.Deleted }))
            {
                var content = (await client.GetBlobClient(item.Name).DownloadContentAsync()).Value.Content;
                lines.Add($"{container}|{item.Name}|{item.VersionId}|{item.Deleted}|{item.Properties.ETag}|{Convert.ToBase64String(content.ToArray())}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(TestHost host, params string[] args) => RunAsync(host.Prefix, args);

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string? prefix, params string[] args)
        => OpsTool.RunAsync(prefix, args);
}
