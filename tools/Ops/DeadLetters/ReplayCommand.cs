using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Serverless.DeadLetters;

namespace Serverless.Ops.DeadLetters;

/// <summary>
/// <c>dead-letters replay (--all | --queue Q | --id MESSAGEID)</c>: sends dead letters back to their
/// work queue and removes them from the table. One selector is required, so a replay of everything
/// is never an accident.
/// </summary>
internal static class ReplayCommand
{
    public const string SelectorRequired = "Choose what to replay: exactly one of --all, --queue QUEUE or --id MESSAGEID.";

    public static Command Create(StorageConnection connection, TextWriter output)
    {
        var all = new Option<bool>("--all") { Description = "Replay every dead letter." };
        var queue = new Option<string>("--queue") { Description = "Replay the dead letters of this work queue." };
        var id = new Option<string>("--id") { Description = "Replay the dead letter with this message id (as listed)." };
        var command = new Command("replay", "Send dead letters back to their work queue, after the cause of their failure is fixed.")
        {
            all,
            queue,
            id,
        };
        command.Validators.Add(connection.Validate);
        command.Validators.Add(result =>
        {
            var selectors = (result.GetValue(all) ? 1 : 0) + (result.GetResult(queue) is null ? 0 : 1) + (result.GetResult(id) is null ? 0 : 1);
            if (selectors != 1)
            {
                result.AddError(SelectorRequired);
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var messageId = parseResult.GetValue(id);
            await using var services = connection.BuildServices(parseResult);
            var replayed = await services.GetRequiredService<DeadLetterService>().ReplayAsync(parseResult.GetValue(queue), messageId, cancellationToken);
            await output.WriteLineAsync(replayed == 1 ? "Replayed 1 dead letter." : $"Replayed {replayed} dead letters.");

            // Asked for one message by id: finding none is a failure a script must notice.
            return messageId is not null && replayed == 0 ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
