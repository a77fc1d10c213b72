namespace Serverless.Infra.Tests.Bicep;

/// <summary>The repository checkout the tests run in: the folder above the test binaries that holds Serverless.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Infra => System.IO.Path.Combine(Path, "infra");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Serverless.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Serverless.sln above {AppContext.BaseDirectory}: run the tests from a checkout of the repository.");
    }
}
