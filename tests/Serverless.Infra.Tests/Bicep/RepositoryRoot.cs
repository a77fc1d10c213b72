namespace Serverless.Infra.Tests.Bicep;

/// <summary>The repository checkout the tests run in: the folder above the test binaries that holds Serverless.sln.</summary>
public static class RepositoryRoot
{
    public static string Path => Serverless.Testing.RepositoryPaths.Root;

    public static string Infra => System.IO.Path.Combine(Path, "infra");
}
