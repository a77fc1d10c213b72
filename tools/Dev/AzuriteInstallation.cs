namespace Serverless.Dev;

/// <summary>Azurite comes from npm, pinned in package-lock.json with the other npm tools: <c>npm ci</c> installs exactly those versions.</summary>
internal static class AzuriteInstallation
{
    /// <summary>Installs the npm packages when one is missing or the lock file changed, and returns Azurite's entry script.</summary>
    public static async Task<string> EnsureAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        if (NpmPackages.NeedInstall(repositoryRoot))
        {
            Log.Info("Installing the npm packages of package-lock.json (Azurite, Redocly CLI, openapi-typescript) with npm ci...");
            var npm = ChildProcess.Describe(ExternalTools.Npm, ["ci", "--no-audit", "--no-fund"], repositoryRoot);
            var exitCode = await ChildProcess.RunAsync(npm, TimeSpan.FromSeconds(5), cancellationToken);
            if (exitCode != 0)
            {
                throw new DevException($"npm ci failed (exit code {exitCode}): Azurite and the contract tools could not be installed.");
            }
        }

        return NpmPackages.EntryScript(repositoryRoot, "azurite", "azurite")
            ?? throw new DevException("Azurite's entry script is missing after npm ci: delete node_modules and run again.");
    }
}
