namespace Serverless.Dev;

/// <summary>
/// The browser tests (tests/Serverless.Browser) drive Debian's chromium with Playwright; Playwright's own browser
/// download does not work on these machines. In CI (<c>CI=true</c>, as root, with apt-get) this installs the
/// <c>chromium</c> package when it is missing, as it installs Azurite from npm; on a developer's machine it only says
/// what to install, because installing system packages is the developer's call. The tests read the path from
/// <see cref="ExecutableVariable"/> and fail with the same explanation when it is not there.
/// </summary>
internal static class ChromiumInstallation
{
    public const string ExecutableVariable = "SERVERLESS_TEST_CHROMIUM";
    public const string DefaultExecutable = "/usr/bin/chromium";

    /// <summary>Returns the environment the tests get (the browser's path), installing chromium first in CI.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnsureAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var executable = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured ? configured : DefaultExecutable;
        if (!File.Exists(executable) && MayInstall())
        {
            Log.Info("Installing Debian's chromium for the browser tests (CI=true) with apt-get install chromium...");
            await AptGetAsync(["update", "-qq"], repositoryRoot, cancellationToken);
            await AptGetAsync(["install", "-y", "-qq", "--no-install-recommends", "chromium"], repositoryRoot, cancellationToken);
        }

        if (!File.Exists(executable))
        {
            Log.Info($"chromium is not installed ({executable} is missing): the browser tests (tests/Serverless.Browser) will fail. "
                + "Install it with `sudo apt-get install chromium` (Debian/Ubuntu), or point "
                + $"{ExecutableVariable} at a Chromium or Chrome binary. CI installs it itself.");
        }

        return new Dictionary<string, string> { [ExecutableVariable] = executable };
    }

    private static bool MayInstall()
        => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            && OperatingSystem.IsLinux()
            && File.Exists("/usr/bin/apt-get")
            && Environment.UserName == "root";

    private static async Task AptGetAsync(string[] arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var aptGet = ChildProcess.Describe("apt-get", arguments, workingDirectory, new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        var exitCode = await ChildProcess.RunAsync(aptGet, TimeSpan.FromSeconds(5), cancellationToken);
        if (exitCode != 0)
        {
            // Not fatal: every other test still runs; the browser tests then fail and say why.
            Log.Info($"apt-get {string.Join(' ', arguments)} failed (exit code {exitCode}): the browser tests will fail.");
        }
    }
}
