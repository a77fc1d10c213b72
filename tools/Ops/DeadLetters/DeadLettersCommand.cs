using System.CommandLine;

namespace Serverless.Ops.DeadLetters;

/// <summary><c>dead-letters</c>: messages that kept failing, kept in the dead-letter table until replayed.</summary>
internal static class DeadLettersCommand
{
    public static Command Create(StorageConnection connection, TextWriter output) => new(
        "dead-letters",
        "Messages that failed every attempt: the timer sweeps them from the poison queues into a table, where they wait for a replay.")
    {
        ListCommand.Create(connection, output),
        ReplayCommand.Create(connection, output),
        SweepCommand.Create(connection, output),
    };
}
