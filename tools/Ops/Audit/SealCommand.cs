using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Audit;

namespace Serverless.Ops.Audit;

/// <summary><c>audit seal</c>: what the five-minute timer does, now (after a restore, or before a verify).
/// Entries younger than the settle delay still wait.</summary>
internal static class SealCommand
{
    public static Command Create(StorageConnection connection, TextWriter output)
    {
        var command = new Command("seal", "Seal the audit entries older than the settle delay into the hash chain now.");
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = connection.BuildServices(parseResult);
            var sealer = services.GetRequiredService<AuditSealer>();
            var (seals, entries) = (0, 0);
            AuditSealRun run;
            do
            {
                // One run writes at most MaxSealsPerRun seals; ops wants the chain caught up.
                run = await sealer.SealAsync(cancellationToken);
                (seals, entries) = (seals + run.SealsWritten, entries + run.EntriesSealed);
            }
            while (run.SealsWritten > 0 && !run.LostRace);

            await output.WriteLineAsync(
                $"Wrote {(seals == 1 ? "1 seal" : $"{seals} seals")} covering {(entries == 1 ? "1 entry" : $"{entries} entries")}; the chain ends at seal {run.LastSealNumber}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
