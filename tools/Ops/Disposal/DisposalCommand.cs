using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Cases.Disposal;
using Serverless.Time;

namespace Serverless.Ops.Disposal;

/// <summary>
/// <c>disposal plan</c> and <c>disposal run</c>. There is no scheduled purge: two coordinators propose and approve
/// through the API, and the app runs the approved disposal after <c>Disposal:ExecutionDelay</c> (DisposalRun). The
/// plan lists, for every approved disposal, when the app runs it and what would go (ids and counts, never contents)
/// and changes nothing; the run (by hand, before the app does; it needs a data role) deletes it,
/// keeps the disposal register, and copies the register to the backup folder so that a restore of an older
/// backup disposes of the case again (<see cref="Backup.RestoreCommand"/>).
/// </summary>
internal static class DisposalCommand
{
    public static Command Create(StorageConnection connection, TextWriter output) => new(
        "disposal",
        "Disposal (廃棄) of closed cases that two coordinators approved: plan (a dry run: what would go) or run.")
    {
        Plan(connection, output),
        Run(connection, output),
        Reapply(connection, output),
    };

    private static Command Plan(StorageConnection connection, TextWriter output)
    {
        var command = new Command("plan", "List, for every approved disposal, when the app runs it and what a run would delete (row and blob counts per store; ids only). Changes nothing.");
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = connection.BuildServices(parseResult);
            var plan = await services.GetRequiredService<DisposalRunner>().PlanAsync(cancellationToken);
            if (plan.Count == 0)
            {
                await output.WriteLineAsync("No approved disposals.");
                return ExitCodes.Ok;
            }

            foreach (var entry in plan)
            {
                await output.WriteLineAsync($"Case {entry.CaseId}: proposed by {entry.ProposedBy}, approved by {entry.ApprovedBy}, rule: {entry.RuleReference}");
                if (entry.RunAfter is { } runAfter)
                {
                    // The cooling-off period: until then any coordinator may withdraw it.
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  the app runs it after: {JapanTime.ToJapan(runAfter):yyyy-MM-dd HH:mm:ss} JST"));
                }
                if (entry.Blocked is not null)
                {
                    await output.WriteLineAsync($"  not run now: {entry.Blocked}");
                }

                foreach (var count in entry.Counts)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {count.Store}: {count.Count}"));
                }
            }

            await output.WriteLineAsync($"{plan.Count} approved disposal(s); nothing was changed (dry run).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Reapply(StorageConnection connection, TextWriter output)
    {
        var backupDirectory = new Option<string>("--backup-directory") { Description = "The backup folder holding disposal-register.jsonl.", Required = true };
        var command = new Command("reapply", "Delete again every case in the disposal register (this instance's and the copy in the backup folder). Restore does this itself; run it by hand only when a restore said so.")
        {
            backupDirectory,
        };
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parseResult.GetValue(backupDirectory)!);
            await using var services = connection.BuildServices(parseResult);
            var register = (await services.GetRequiredService<Disposals>().RegisterAsync(cancellationToken)).Concat(await DisposalRegisterFile.ReadAllAsync(folder, cancellationToken));
            var count = await services.GetRequiredService<DisposalRunner>().ReapplyAsync(register, cancellationToken);
            await output.WriteLineAsync($"Disposal register re-applied: {count} disposed case(s) deleted again.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Run(StorageConnection connection, TextWriter output)
    {
        var backupDirectory = new Option<string>("--backup-directory")
        {
            Description = "The folder backups are written to: the disposal register is copied there (disposal-register.jsonl) so that a restore disposes of the case again.",
            Required = true,
        };
        var command = new Command("run", "Delete every approved disposal's case (not held, still closed long enough), keep the disposal register, and record each in the audit trail. Safe to run again after an interruption.")
        {
            backupDirectory,
        };
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parseResult.GetValue(backupDirectory)!);
            if (!Directory.Exists(folder))
            {
                throw new UsageException($"--backup-directory {folder} does not exist.");
            }

            await using var services = connection.BuildServices(parseResult);
            var disposals = services.GetRequiredService<Disposals>();
            // First a copy of what an earlier, interrupted run registered, then the run, then the copy again.
            await DisposalRegisterFile.MergeAsync(folder, await disposals.RegisterAsync(cancellationToken), cancellationToken);
            var results = await services.GetRequiredService<DisposalRunner>().RunAsync(cancellationToken);
            var register = await disposals.RegisterAsync(cancellationToken);
            await DisposalRegisterFile.MergeAsync(folder, register, cancellationToken);

            foreach (var result in results)
            {
                await output.WriteLineAsync(result.Blocked is null
                    ? string.Create(CultureInfo.InvariantCulture, $"Case {result.CaseId} disposed of at {result.DisposedAt:O}: {string.Join(", ", result.Deleted.Where(count => count.Count > 0).Select(count => $"{count.Store} {count.Count}"))}")
                    : $"Case {result.CaseId} not disposed of: {result.Blocked}");
            }

            await output.WriteLineAsync($"{results.Count(result => result.Blocked is null)} case(s) disposed of, {results.Count(result => result.Blocked is not null)} not run; the register ({register.Count} line(s)) is in {DisposalRegisterFile.PathIn(folder)}.");
            return results.Any(result => result.Blocked is not null) ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
