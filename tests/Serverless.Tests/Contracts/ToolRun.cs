using System.ComponentModel;
using System.Diagnostics;

namespace Serverless.Tests.Contracts;

/// <summary>What one run of an outside tool printed.</summary>
internal sealed record ToolResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;

    public override string ToString() => $"{Command}\nexit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>Runs a tool to completion as CI does: no standard input, both streams captured, a time limit.</summary>
internal static class ToolRun
{
    public static async Task<ToolResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, string whenMissing)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var command = string.Join(' ', [Path.GetFileName(fileName), .. arguments]);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"Could not start `{command}` ({ex.Message}). {whenMissing}");
            throw; // not reached: Assert.Fail throws
        }

        using (process)
        {
            process.StandardInput.Close();
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            var standardError = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`{command}` did not finish within 3 minutes.");
            }

            return new ToolResult(command, process.ExitCode, await standardOutput, await standardError);
        }
    }
}
