using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Serverless.DeadLetters;
using Serverless.Time;

namespace Serverless.Ops.DeadLetters;

/// <summary>
/// <c>dead-letters list [--queue Q] [--show-text]</c>: one line per dead letter. The message text
/// holds ids only, but it is still shown only when asked for, so a pasted listing carries no more than it must.
/// </summary>
internal static class ListCommand
{
    public static Command Create(StorageConnection connection, TextWriter output)
    {
        var queue = new Option<string>("--queue") { Description = "Only dead letters from this work queue (e.g. health-probes)." };
        var showText = new Option<bool>("--show-text") { Description = "Also print each message's text." };
        var command = new Command("list", "List dead letters: queue, message id and when each was dead-lettered (Japan time).")
        {
            queue,
            showText,
        };
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = connection.BuildServices(parseResult);
            var letters = await services.GetRequiredService<DeadLetterService>().ListAsync(parseResult.GetValue(queue), cancellationToken);
            await WriteAsync(output, letters, parseResult.GetValue(showText));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task WriteAsync(TextWriter output, IReadOnlyList<DeadLetter> letters, bool showText)
    {
        string[] header = showText ? ["QUEUE", "MESSAGE ID", "DEAD-LETTERED (JST)", "TEXT"] : ["QUEUE", "MESSAGE ID", "DEAD-LETTERED (JST)"];
        var rows = letters
            .Select(letter => new[]
            {
                letter.Queue,
                letter.MessageId,
                JapanTime.ToJapan(letter.DeadLetteredAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                letter.MessageText,
            }.Take(header.Length).ToArray())
            .Prepend(header)
            .ToList();

        var widths = Enumerable.Range(0, header.Length - 1).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, column) => column < widths.Length ? cell.PadRight(widths[column]) : cell);
            await output.WriteLineAsync(string.Join("  ", cells));
        }

        await output.WriteLineAsync(letters.Count == 1 ? "1 dead letter." : $"{letters.Count} dead letters.");
    }
}
