namespace Serverless.Ops.Tests;

/// <summary>The repository's folders, found from the test binaries upwards (the folder with Serverless.sln).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Ops => System.IO.Path.Combine(Path, "ops");

    public static string Script(string name) => System.IO.Path.Combine(Ops, name);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory}.");
    }
}
