namespace Serverless.Ops.Tests;

/// <summary>
/// PowerShell 7 for the tests: the NuGet <c>PowerShell</c> dotnet tool, installed once into
/// <c>&lt;repo&gt;/.tools</c> (a cache folder kept out of git) by the first test that needs it.
/// </summary>
public sealed class PowerShell : IAsyncLifetime
{
    /// <summary>The version served to this project's machines (7.7 and later may want .NET 11).</summary>
    public const string Version = "7.6.9";

    public static string ToolPath => Path.Combine(RepositoryRoot.Path, ".tools");

    public string Executable { get; } = Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");

    public async Task InitializeAsync()
    {
        if (File.Exists(Executable))
        {
            return;
        }

        var install = await ProcessRunner.RunAsync(
            "dotnet",
            ["tool", "install", "--tool-path", ToolPath, "PowerShell", "--version", Version],
            timeout: TimeSpan.FromMinutes(5));
        if (install.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"Could not install PowerShell {Version} with `dotnet tool install --tool-path {ToolPath} PowerShell --version {Version}`:\n{install}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Runs a script file: <c>pwsh -NoProfile -NonInteractive -File SCRIPT ARGS</c>.</summary>
    internal Task<ProcessResult> RunScriptAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync(
            Executable,
            ["-NoProfile", "-NonInteractive", "-File", script, .. arguments],
            environment,
            timeout: TimeSpan.FromMinutes(3));

    internal Task<ProcessResult> RunCommandAsync(string command) =>
        ProcessRunner.RunAsync(Executable, ["-NoProfile", "-NonInteractive", "-Command", command], timeout: TimeSpan.FromMinutes(3));
}

[CollectionDefinition(Name)]
public sealed class PowerShellCollection : ICollectionFixture<PowerShell>
{
    public const string Name = "PowerShell";
}
