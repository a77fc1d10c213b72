using System.Text.Json;

namespace Serverless.Dev;

/// <summary>
/// The npm packages pinned in package.json and package-lock.json: Azurite for the storage tests, Redocly CLI
/// and openapi-typescript for the contract checks. <c>npm ci</c> installs exactly the locked versions.
/// Also compiled into the contract tests, so both find a package the same way.
/// </summary>
internal static class NpmPackages
{
    public const string InstallCommand = "npm ci";

    /// <summary>True when <c>npm ci</c> must run: a pinned package is missing, or the lock changed since the last install.</summary>
    public static bool NeedInstall(string repositoryRoot)
    {
        // npm writes node_modules/.package-lock.json on every install: older than the lock file means
        // the lock changed since (a pull, a version bump) and node_modules may hold other versions.
        var installedLock = Path.Combine(repositoryRoot, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(repositoryRoot, "package-lock.json");
        return !File.Exists(installedLock)
            || File.GetLastWriteTimeUtc(lockFile) > File.GetLastWriteTimeUtc(installedLock)
            || Pinned(repositoryRoot).Any(package => !File.Exists(Path.Combine(PackageDirectory(repositoryRoot, package), "package.json")));
    }

    /// <summary>
    /// The script behind a package's command, as the package itself declares it ("bin"), so a layout change in a
    /// later version breaks nothing here; null when the package is not installed.
    /// </summary>
    public static string? EntryScript(string repositoryRoot, string package, string command)
    {
        var packageDirectory = PackageDirectory(repositoryRoot, package);
        var manifest = Path.Combine(packageDirectory, "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var relative = document.RootElement.TryGetProperty("bin", out var bin) switch
        {
            true when bin.ValueKind == JsonValueKind.String => bin.GetString(),
            true when bin.ValueKind == JsonValueKind.Object && bin.TryGetProperty(command, out var path) => path.GetString(),
            _ => null,
        };

        return relative is { Length: > 0 } && Path.GetFullPath(Path.Combine(packageDirectory, relative)) is var script && File.Exists(script)
            ? script
            : null;
    }

    private static string PackageDirectory(string repositoryRoot, string package)
        => Path.Combine([repositoryRoot, "node_modules", .. package.Split('/')]);

    /// <summary>The devDependencies of package.json (this repository pins nothing else).</summary>
    private static IEnumerable<string> Pinned(string repositoryRoot)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(repositoryRoot, "package.json")));
        return document.RootElement.TryGetProperty("devDependencies", out var pinned)
            ? pinned.EnumerateObject().Select(package => package.Name).ToList()
            : [];
    }
}
