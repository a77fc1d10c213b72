namespace Serverless.Dev;

/// <summary>Finds the repository root, so every command works whatever the current directory is.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        // The tool runs from tools/Dev/bin/<configuration>/<tfm>/: walk up from there first,
        // then from the current directory (in case the output folder was redirected elsewhere).
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Serverless.sln"))
                    && File.Exists(Path.Combine(directory.FullName, "package.json")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DevException("Could not find the repository root (a folder with Serverless.sln and package.json) above this tool or the current directory.");
    }
}
