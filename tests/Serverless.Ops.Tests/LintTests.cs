using Xunit.Abstractions;

namespace Serverless.Ops.Tests;

/// <summary>
/// Every bash script passes shellcheck. shellcheck is a Debian package and tests do not install
/// packages: where it is missing the test falls back to `bash -n` (syntax only) and says so in its
/// output; <see cref="ShellcheckIsInstalledOrTheFallbackIsAnnounced"/> names which one ran.
/// </summary>
public sealed class LintTests(ITestOutputHelper output)
{
    private static readonly string? Shellcheck = ProcessRunner.FindOnPath("shellcheck");

    public static TheoryData<string> ShellScripts() => ScriptFiles.Matching("*.sh");

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public async Task ShellScriptIsShellcheckClean(string script)
    {
        var path = RepositoryRoot.Script(script);
        if (Shellcheck is null)
        {
            var syntax = await ProcessRunner.RunAsync("bash", ["-n", path]);
            output.WriteLine($"shellcheck is not installed (apt-get install shellcheck): only `bash -n` checked {script}.");
            Assert.True(syntax.ExitCode == 0, $"bash -n ops/{script}:\n{syntax}");
            return;
        }

        var lint = await ProcessRunner.RunAsync(Shellcheck, ["--shell=bash", "--severity=style", path]);

        Assert.True(lint.ExitCode == 0, $"shellcheck ops/{script}:\n{lint.StandardOutput}{lint.StandardError}");
    }

    [Fact]
    public void ShellcheckIsInstalledOrTheFallbackIsAnnounced()
    {
        output.WriteLine(Shellcheck is null
            ? "shellcheck NOT installed: the shell scripts were only syntax-checked (bash -n). Install it: apt-get install -y shellcheck."
            : $"shellcheck: {Shellcheck}");
        Assert.NotEmpty(ShellScripts());
    }

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public void ShellScriptIsStrictAndExecutable(string script)
    {
        var path = RepositoryRoot.Script(script);
        var text = File.ReadAllText(path);

        Assert.StartsWith("#!/usr/bin/env bash\n", text, StringComparison.Ordinal);
        Assert.Contains("\nset -euo pipefail\n", text, StringComparison.Ordinal);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.True(
            (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0,
            $"ops/{script} is not executable: chmod +x ops/{script} (and git update-index --chmod=+x).");
    }
}
