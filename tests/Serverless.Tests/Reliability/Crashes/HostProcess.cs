using System.Collections.Concurrent;
using System.Diagnostics;
using Serverless.DevHost;

namespace Serverless.Tests.Reliability.Crashes;

/// <summary>
/// The local host (<c>tools/DevHost</c>) as a real child process: <c>dotnet Serverless.DevHost.dll</c> from its own build output,
/// on a free loopback port, its storage through the given connection string (the fault proxies), its names under the
/// test's prefix, queue listeners only (no timers, no demo data) and a short processing lease, so a killed host's message
/// comes back in seconds. <see cref="Kill"/> ends it and everything it started; disposing kills it too, so no child
/// outlives its test. Its output is kept for the failure message.
/// </summary>
public sealed class HostProcess : IDisposable
{
    /// <summary>How long a received message stays hidden: the wait after a crash before another host gets it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private HostProcess(Process process, int number)
    {
        this.process = process;
        Number = number;
    }

    /// <summary>Which host this is in the test (1, 2, ...), for the output.</summary>
    public int Number { get; }

    public bool HasExited => process.HasExited;

    /// <param name="settings">More configuration for the app (e.g. the backup container), as <c>--Key=Value</c>.</param>
    public static HostProcess Start(string connectionString, string prefix, int number, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = DevHostDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            dll,
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", connectionString,
            "--Storage:NamePrefix", prefix,
            $"--{LocalHostSettings.ProcessingLease}", Lease.ToString("c"),
            $"--{LocalHostSettings.MaxPollingInterval}", "00:00:00.500",
            $"--{LocalHostSettings.VisibilityTimeout}", "00:00:01",
            $"--{LocalHostSettings.Timers}", "false",
            "--Logging:LogLevel:Default", "Warning",
        }.Concat((settings ?? new Dictionary<string, string>()).Select(setting => $"--{setting.Key}={setting.Value}")))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("SERVERLESS_TEST_STORAGE"); // the command line names its storage: the proxies, not Azurite
        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, number);
        process.OutputDataReceived += (_, line) => host.Keep("out", line.Data);
        process.ErrorDataReceived += (_, line) => host.Keep("err", line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Kills the process and its descendants, and returns once it has exited.</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // the caller checks HasExited
        }
    }

    /// <summary>The last lines it printed.</summary>
    public string Output => $"host {Number} (pid {process.Id}) output:{Environment.NewLine}" + string.Join(Environment.NewLine, output.TakeLast(60));

    private void Keep(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue($"  {stream}: {line}");
        while (output.Count > 400 && output.TryDequeue(out _))
        {
        }
    }

    /// <summary>DevHost's own build output (built with the tests, as the tests reference it), in the tests' configuration.</summary>
    private static string DevHostDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Serverless.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above " + AppContext.BaseDirectory), "tools", "DevHost", "bin", configuration, framework, "Serverless.DevHost.dll");
        return File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"))
            ? dll
            : throw new InvalidOperationException($"{dll} (and its runtimeconfig) is not there: build tools/DevHost first.");
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
