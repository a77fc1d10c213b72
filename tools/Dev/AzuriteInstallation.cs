using System.Text.Json;

namespace Serverless.Dev;

/// <summary>Azurite comes from npm, pinned in package-lock.json: <c>npm ci</c> installs exactly that version.</summary>
internal static class AzuriteInstallation
{
    /// <summary>Installs Azurite when it is missing or older than the lock file, and returns its entry script.</summary>
    public static async Task<string> EnsureAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var packageDirectory = Path.Combine(repositoryRoot, "node_modules", "azurite");
        if (NeedsInstall(repositoryRoot, packageDirectory))
        {
            Log.Info("Installing Azurite from package-lock.json (npm ci)...");
            var npm = ChildProcess.Describe(ExternalTools.Npm, ["ci", "--no-audit", "--no-fund"], repositoryRoot);
            var exitCode = await ChildProcess.RunAsync(npm, TimeSpan.FromSeconds(5), cancellationToken);
            if (exitCode != 0)
            {
                throw new DevException($"npm ci failed (exit code {exitCode}): Azurite could not be installed.");
            }
        }

        return EntryScript(packageDirectory);
    }

    private static bool NeedsInstall(string repositoryRoot, string packageDirectory)
    {
        // npm writes node_modules/.package-lock.json on every install: older than the lock file means
        // the lock changed since (a pull, a version bump) and node_modules may hold another version.
        var installedLock = Path.Combine(repositoryRoot, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(repositoryRoot, "package-lock.json");
        return !Directory.Exists(packageDirectory)
            || !File.Exists(installedLock)
            || File.GetLastWriteTimeUtc(lockFile) > File.GetLastWriteTimeUtc(installedLock);
    }

    private static string EntryScript(string packageDirectory)
    {
        // The script behind the `azurite` command, as the package itself declares it ("bin"),
        // so a layout change in a later version does not break this tool.
        var manifest = Path.Combine(packageDirectory, "package.json");
        if (!File.Exists(manifest))
        {
            throw new DevException($"Azurite is not installed: {manifest} is missing after npm ci.");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var relative = document.RootElement.TryGetProperty("bin", out var bin)
            && bin.ValueKind == JsonValueKind.Object
            && bin.TryGetProperty("azurite", out var command)
            && command.GetString() is { Length: > 0 } path
                ? path
                : "dist/src/azurite.js";

        var script = Path.GetFullPath(Path.Combine(packageDirectory, relative));
        return File.Exists(script)
            ? script
            : throw new DevException($"Azurite's entry script {script} is missing: delete node_modules and run again.");
    }
}
