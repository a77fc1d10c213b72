using System.ComponentModel;
using System.Diagnostics;

namespace Serverless.Dev;

/// <summary>Starts child processes and makes sure none outlives this tool.</summary>
internal static class ChildProcess
{
    public static ProcessStartInfo Describe(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        // ArgumentList, not a command-line string: each argument is quoted correctly on every platform.
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    public static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new DevException($"Could not start '{info.FileName}'.");
        }
        catch (Win32Exception ex)
        {
            throw new DevException($"Could not start '{info.FileName}' ({ex.Message}). Is it installed and on PATH?");
        }
    }

    /// <summary>
    /// Runs a process that shares this console (its output streams live, colours included) and returns its exit code.
    /// On cancellation it gets <paramref name="graceOnCancel"/> to finish on its own, then its whole tree is killed.
    /// </summary>
    public static async Task<int> RunAsync(ProcessStartInfo info, TimeSpan graceOnCancel, CancellationToken cancellationToken)
    {
        using var process = Start(info);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C in a terminal reaches the child too, so it is usually already stopping cleanly.
            await StopAsync(process, graceOnCancel);
            throw;
        }
    }

    /// <summary>Waits up to <paramref name="grace"/> for the process to exit, then kills it and everything it started.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (!await WaitForExitAsync(process, grace))
        {
            KillTree(process);
            // Killing is asynchronous; wait so the caller can rely on ports and files being released.
            await WaitForExitAsync(process, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Kills the process and its descendants: `dotnet run` and `dotnet test` start processes of their own.</summary>
    public static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited: nothing to kill.
        }
        catch (Win32Exception)
        {
            // Exiting while being killed (access denied on a dying process on Windows).
        }
    }

    public static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return process.HasExited;
        }
    }
}
