namespace Serverless.Dev;

/// <summary>The dotnet tools pinned in .config/dotnet-tools.json (Kiota, for the contract tests).</summary>
internal static class DotnetTools
{
    /// <summary>Restores them; quick when they already are, so it runs before every test run.</summary>
    public static async Task RestoreAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        Log.Info("Restoring the dotnet tools of .config/dotnet-tools.json (Kiota) with dotnet tool restore...");
        var restore = ChildProcess.Describe(ExternalTools.Dotnet, ["tool", "restore"], repositoryRoot);
        var exitCode = await ChildProcess.RunAsync(restore, TimeSpan.FromSeconds(5), cancellationToken);
        if (exitCode != 0)
        {
            throw new DevException($"dotnet tool restore failed (exit code {exitCode}): Kiota could not be installed.");
        }
    }
}
