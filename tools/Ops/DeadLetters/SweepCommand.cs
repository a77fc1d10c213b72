using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Serverless.DeadLetters;

namespace Serverless.Ops.DeadLetters;

/// <summary><c>dead-letters sweep</c>: what the five-minute timer does, now (e.g. before a replay).</summary>
internal static class SweepCommand
{
    public static Command Create(StorageConnection connection, TextWriter output)
    {
        var command = new Command("sweep", "Move every message waiting in the poison queues into the dead-letter table now.");
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = connection.BuildServices(parseResult);
            var moved = await services.GetRequiredService<DeadLetterService>().SweepAsync(cancellationToken);
            await output.WriteLineAsync(moved == 1
                ? "Moved 1 message from the poison queues into the dead-letter table."
                : $"Moved {moved} messages from the poison queues into the dead-letter table.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
