using System.CommandLine;

namespace Serverless.Dev;

/// <summary>Developer command line and CI entry point: <c>start</c> runs the app locally, <c>test</c> runs every test,
/// <c>token</c> prints a development bearer token.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Run the app locally over Azurite, or run every test against a throwaway Azurite.")
        {
            StartCommand.Create(),
            TestCommand.Create(),
            BenchCommand.Create(),
            TokenCommand.Create(),
        };

        var invocation = new InvocationConfiguration
        {
            // Ctrl+C cancels the action's token; give it time to stop the processes it started
            // (the default 2 s would exit first and leave Azurite or a test host running).
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
            // Expected failures (npm missing, Azurite not coming up) are reported as one plain message below.
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await root.Parse(args).InvokeAsync(invocation);
        }
        catch (DevException ex)
        {
            Log.Error(ex.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C while installing or starting Azurite: the processes involved are already stopped.
            return 130;
        }
    }
}
