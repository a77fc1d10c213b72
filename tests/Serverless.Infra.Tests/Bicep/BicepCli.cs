using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Serverless.Infra.Tests.Bicep;

/// <summary>
/// Runs the Bicep CLI. By default the binary restored from NuGet by this project's PackageDownload
/// (Azure.Bicep.CommandLine.linux-x64: the only platform package served to the project's machines);
/// on any other platform, or to try another version, set BICEP_PATH to a Bicep CLI executable.
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly Lazy<string> Executable = new(Locate);

    public static BicepResult Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        process.WaitForExit();
        return new BicepResult(process.ExitCode, standardOutput.GetAwaiter().GetResult(), standardError.GetAwaiter().GetResult());
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"BICEP_PATH is set to {configured}, which does not exist.");
        }

        var package = Metadata("BicepCliPackage");
        var version = Metadata("BicepCliVersion");
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                $"The infra tests use the Bicep CLI from the NuGet package {package}, which runs on Linux x64 only; " +
                $"this is {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}). " +
                "Install the Bicep CLI for your platform (same version or later) and set BICEP_PATH to it.");
        }

        // The global packages folder restore used (it honours NUGET_PACKAGES), recorded at build time.
        var packageRoot = Metadata("NuGetPackageRoot");
        var binary = Path.Combine(packageRoot, package.ToLowerInvariant(), version, "tools", "bicep");
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI is not at {binary}. Run `dotnet restore tests/Serverless.Infra.Tests` (its PackageDownload fetches {package} {version}).");
        }

        // NuGet does not keep the run bit when it extracts a package.
        var mode = File.GetUnixFileMode(binary);
        const UnixFileMode runBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(binary, mode | runBits);
        }

        return binary;
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(attribute => attribute.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata (see Serverless.Infra.Tests.csproj).");
}

/// <summary>What one Bicep CLI run printed. Diagnostics (warnings and errors) go to standard error.</summary>
public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit code {ExitCode}\n{StandardError}";
}
